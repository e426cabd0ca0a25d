// Account snapshots: NAV, balance, margin and positions per instrument, as the broker reported.
import type { Kysely } from "kysely";
import type { AccountSnapshot } from "../core/types.ts";
import type { JournalDB } from "./tables.ts";
import { isoAt } from "./time.ts";
import type { JournalScope } from "./types.ts";

export function snapshotsRepository(db: Kysely<JournalDB>, scope?: JournalScope) {
  return {
    async insert(s: AccountSnapshot): Promise<void> {
      await db
        .insertInto("account_snapshots")
        .values({
          ts: isoAt(s.asOf),
          account_id: s.id,
          currency: s.currency,
          balance: s.balance,
          nav: s.nav,
          unrealized_pl: s.unrealizedPL,
          margin_used: s.marginUsed,
          margin_available: s.marginAvailable,
          margin_closeout_percent: s.marginCloseoutPercent,
          hedging_enabled: s.hedgingEnabled ? 1 : 0,
          last_transaction_id: s.lastTransactionID,
          positions_json: JSON.stringify(s.positions),
          mode: scope?.mode ?? null,
        })
        .execute();
    },

    async latest(): Promise<{ ts: string; nav: number; marginUsed: number; marginAvailable: number } | undefined> {
      const r = await db.selectFrom("account_snapshots").select(["ts", "nav", "margin_used", "margin_available"]).orderBy("id", "desc").limit(1).executeTakeFirst();
      return r ? { ts: r.ts, nav: r.nav, marginUsed: r.margin_used, marginAvailable: r.margin_available } : undefined;
    },
  };
}
