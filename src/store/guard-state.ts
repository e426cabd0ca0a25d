// Guard state that must survive a restart: a restart must neither lift the drawdown guard nor
// forget the NAV high-water mark it is measured from. One JSON value per key, last write wins.
import type { Kysely } from "kysely";
import type { Clock } from "../core/types.ts";
import type { JournalDB } from "./tables.ts";
import { isoNow } from "./time.ts";

export function guardStateRepository(db: Kysely<JournalDB>, clock: Clock) {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const row = await db.selectFrom("guard_state").select("value_json").where("key", "=", key).executeTakeFirst();
      return row ? (JSON.parse(row.value_json) as T) : undefined;
    },
    async put(key: string, value: unknown): Promise<void> {
      const value_json = JSON.stringify(value);
      const updated_at = isoNow(clock);
      await db.insertInto("guard_state").values({ key, value_json, updated_at }).onConflict((oc) => oc.column("key").doUpdateSet({ value_json, updated_at })).execute();
    },
  };
}
