// The operator's control actions (pause, resume, kill switch...): who did what, when.
import type { Kysely } from "kysely";
import type { Clock } from "../core/types.ts";
import { clampLimit } from "./decisions.ts";
import { parseJsonText, toJsonValue } from "./json.ts";
import type { JournalDB } from "./tables.ts";
import { isoNow } from "./time.ts";
import type { ControlRow, JournalScope } from "./types.ts";

export function controlRepository(db: Kysely<JournalDB>, clock: Clock, scope?: JournalScope) {
  return {
    async insert(action: string, actor: string, detail?: unknown): Promise<void> {
      await db.insertInto("control_actions").values({ ts: isoNow(clock), action, actor, detail_json: toJsonValue(detail), account_id: scope?.accountId ?? null, mode: scope?.mode ?? null }).execute();
    },
    /** Newest first. */
    async recent(limit: number): Promise<ControlRow[]> {
      const rows = await db.selectFrom("control_actions").selectAll().orderBy("id", "desc").limit(clampLimit(limit)).execute();
      return rows.map((r) => ({ id: r.id, ts: r.ts, action: r.action, actor: r.actor, detail: parseJsonText(r.detail_json) }));
    },
  };
}
