// The decision audit trail: every signal the gate saw and what it did with it.
import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../core/types.ts";
import { parseJsonText, toJsonValue } from "./json.ts";
import { JournalInputError } from "./input-error.ts";
import type { DecisionsTable, JournalDB } from "./tables.ts";
import { isoNow, normaliseIso } from "./time.ts";
import type { DecisionRow, JournalScope, NewDecision } from "./types.ts";

function decisionFromRow(r: Selectable<DecisionsTable>): DecisionRow {
  return {
    id: r.id,
    ts: r.ts,
    signalId: r.signal_id,
    worker: r.worker,
    strategy: r.strategy,
    pocket: r.pocket,
    instrument: r.instrument,
    side: r.side,
    outcome: r.outcome,
    reason: r.reason,
    units: r.units,
    detail: parseJsonText(r.detail_json),
    clientId: r.client_id,
  };
}

export function decisionsRepository(db: Kysely<JournalDB>, clock: Clock, scope?: JournalScope) {
  return {
    async insert(d: NewDecision): Promise<void> {
      if (!["accepted", "skipped", "error"].includes(d.outcome)) {
        throw new JournalInputError(`outcome must be accepted, skipped or error (got ${String(d.outcome)})`);
      }
      const ts = d.ts === undefined ? isoNow(clock) : normaliseIso(d.ts);
      if (ts === undefined) throw new JournalInputError(`ts must be an ISO-8601 time (got ${d.ts})`);
      if (d.units !== undefined && !Number.isFinite(d.units)) throw new JournalInputError(`units must be a finite number (got ${d.units})`);
      await db
        .insertInto("decisions")
        .values({
          ts,
          signal_id: d.signalId,
          worker: d.worker,
          strategy: d.strategy,
          pocket: d.pocket,
          instrument: d.instrument,
          side: d.side,
          outcome: d.outcome,
          reason: d.reason ?? null,
          units: d.units ?? null,
          detail_json: toJsonValue(d.detail),
          client_id: d.clientId ?? null,
          account_id: scope?.accountId ?? null,
          mode: scope?.mode ?? null,
        })
        .execute();
    },

    /**
     * The first decision recorded for a signal id (the oldest), in this journal's account and
     * mode: what a repeated operator id is answered with after a restart, as within a run.
     */
    async firstFor(signalId: string): Promise<DecisionRow | undefined> {
      let q = db.selectFrom("decisions").selectAll().where("signal_id", "=", signalId);
      if (scope) q = q.where("account_id", "=", scope.accountId).where("mode", "=", scope.mode);
      const r = await q.orderBy("id", "asc").limit(1).executeTakeFirst();
      return r && decisionFromRow(r);
    },

    /** Newest first. */
    async recent(limit: number): Promise<DecisionRow[]> {
      const rows = await db.selectFrom("decisions").selectAll().orderBy("id", "desc").limit(clampLimit(limit)).execute();
      return rows.map(decisionFromRow);
    },
  };
}

export function clampLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.min(10_000, Math.floor(limit))) : 100;
}
