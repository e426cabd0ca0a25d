// The journal's side of the workers' trade-frequency budget (src/workers/order-budget.ts): one
// worker's filled orders since a time, for the running account and mode only (one database may
// hold many agents), so a restarted agent goes on counting where it stopped. A read port: the
// workers never see the journal, the agent hands them what this returns.
import type { Kysely } from "kysely";
import type { JournalDB } from "./tables.ts";
import { isoAt } from "./time.ts";
import type { JournalScope } from "./types.ts";

/** `(worker, since epoch ms) -> [{ instrument, at: fill time epoch ms }]`, oldest first. */
export function pastOrdersReader(db: Kysely<JournalDB>, scope: JournalScope | undefined) {
  return async (worker: string, since: number): Promise<{ instrument: string; at: number }[]> => {
    let q = db.selectFrom("orders").select(["instrument", "filled_at"])
      .where("worker", "=", worker).where("filled_at", "is not", null).where("filled_at", ">=", isoAt(since));
    if (scope) q = q.where("account_id", "=", scope.accountId).where("mode", "=", scope.mode);
    const rows = await q.orderBy("filled_at", "asc").execute();
    return rows.map((r) => ({ instrument: r.instrument, at: Date.parse(r.filled_at!) }));
  };
}
