// Metric history (ts, name, value, tags) with a retention limit, for margin-usage charts and such.
import type { Kysely } from "kysely";
import type { Clock } from "../core/types.ts";
import { JournalInputError } from "./input-error.ts";
import type { JournalDB } from "./tables.ts";
import { isoAt } from "./time.ts";
import type { JournalScope } from "./types.ts";

const DAY_MS = 86_400_000;

export function metricsRepository(db: Kysely<JournalDB>, clock: Clock, scope?: JournalScope) {
  return {
    /** `ts` is epoch milliseconds; defaults to the journal clock's now. */
    async record(name: string, value: number, tags?: Record<string, string>, ts?: number): Promise<void> {
      if (!name) throw new JournalInputError("metric name must be a non-empty string");
      if (!Number.isFinite(value)) throw new JournalInputError(`metric ${name} value must be a finite number (got ${value})`);
      const at = ts ?? clock.now();
      if (!Number.isFinite(at)) throw new JournalInputError(`metric ${name} ts must be epoch milliseconds (got ${ts})`);
      await db
        .insertInto("metrics")
        .values({ ts: isoAt(at), name, value, tags_json: tags && Object.keys(tags).length > 0 ? JSON.stringify(tags) : null, account_id: scope?.accountId ?? null, mode: scope?.mode ?? null })
        .execute();
    },

    /** Delete points older than `retentionDays` before now; returns how many went. */
    async prune(retentionDays: number): Promise<number> {
      if (!(retentionDays > 0)) throw new JournalInputError(`retentionDays must be positive (got ${retentionDays})`);
      const cutoff = isoAt(clock.now() - retentionDays * DAY_MS);
      const r = await db.deleteFrom("metrics").where("ts", "<", cutoff).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async series(name: string, sinceMs?: number): Promise<{ ts: string; value: number; tags: Record<string, string> | null }[]> {
      let q = db.selectFrom("metrics").select(["ts", "value", "tags_json"]).where("name", "=", name);
      if (sinceMs !== undefined) q = q.where("ts", ">=", isoAt(sinceMs));
      const rows = await q.orderBy("ts", "asc").orderBy("id", "asc").execute();
      return rows.map((r) => ({ ts: r.ts, value: r.value, tags: r.tags_json ? JSON.parse(r.tags_json) : null }));
    },
  };
}
