// Account history for charts (GET /history): the account snapshots the agent records every
// minute, one account, thinned to at most `maxPoints` evenly spread rows (the last row is always
// kept, so a chart ends where the account is).
import type { Kysely } from "kysely";
import type { JournalDB } from "./tables.ts";
import { isoAt } from "./time.ts";

export interface AccountHistoryRow {
  /** Epoch milliseconds of the broker snapshot. */
  t: number;
  nav: number;
  balance: number;
  unrealizedPL: number;
  marginUsed: number;
  marginAvailable: number;
}

export interface AccountHistoryQuery {
  /** Only this account's snapshots (a journal can hold several accounts). */
  accountId?: string;
  sinceMs: number;
  untilMs?: number;
  maxPoints: number;
}

/** Evenly spread indexes keeping the first and the last: thinning never hides where it ends. */
export function thin<T>(rows: readonly T[], maxPoints: number): T[] {
  if (rows.length <= maxPoints) return rows.slice();
  if (maxPoints <= 1) return rows.slice(-1);
  const out: T[] = [];
  const step = (rows.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(rows[Math.round(i * step)]!);
  return out;
}

export function historyRepository(db: Kysely<JournalDB>) {
  return {
    async account(q: AccountHistoryQuery): Promise<AccountHistoryRow[]> {
      let sel = db
        .selectFrom("account_snapshots")
        .select(["ts", "nav", "balance", "unrealized_pl", "margin_used", "margin_available"])
        .where("ts", ">=", isoAt(q.sinceMs));
      if (q.untilMs !== undefined) sel = sel.where("ts", "<", isoAt(q.untilMs));
      if (q.accountId !== undefined) sel = sel.where("account_id", "=", q.accountId);
      const rows = await sel.orderBy("ts", "asc").orderBy("id", "asc").execute();
      return thin(rows, q.maxPoints).map((r) => ({
        t: Date.parse(r.ts), nav: r.nav, balance: r.balance, unrealizedPL: r.unrealized_pl, marginUsed: r.margin_used, marginAvailable: r.margin_available,
      }));
    },
  };
}
