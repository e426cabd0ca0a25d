// The agent's GET /trades and GET /pnl: read the ledger source from the journal (the account's
// transactions and the order journal), derive trades (src/ledger), and add the broker's unrealized
// P/L of open trades, read fresh when the figures are for the agent's own account.
import type { Kysely } from "kysely";
import { ApiError, type PnlQuery, type PnlReportView, type TradesPage, type TradesQuery } from "../http/deps.ts";
import { aggregatePnl, deriveLedger, listTrades, originLookup } from "../ledger/index.ts";
import { LedgerScopeError, readLedgerSource } from "../store/ledger-source.ts";
import type { JournalDB } from "../store/tables.ts";

export interface LedgerApiOptions {
  db: Kysely<JournalDB>;
  /** The agent's own account: the default, and the one whose open trades the broker can price now. */
  ownAccountId?: string;
  /** The broker's open trades with their unrealized P/L (OandaClient.openTrades). */
  openTrades?: () => Promise<{ id: string; unrealizedPL?: number }[]>;
  now: () => number;
}

export function ledgerApi(o: LedgerApiOptions) {
  const source = async (q: { account?: string; mode?: string }) => {
    const scope = { accountId: q.account ?? (q.mode === undefined ? o.ownAccountId : undefined), mode: q.mode };
    try {
      return await readLedgerSource(o.db, scope);
    } catch (e) {
      if (e instanceof LedgerScopeError) throw new ApiError(400, "account_scope", e.message);
      throw e;
    }
  };
  const brokerUnrealized = async (accountId: string | undefined): Promise<Map<string, number> | undefined> => {
    if (!o.openTrades || accountId === undefined || accountId !== o.ownAccountId) return undefined;
    try {
      const trades = await o.openTrades();
      return new Map(trades.filter((t) => typeof t.unrealizedPL === "number").map((t) => [t.id, t.unrealizedPL!]));
    } catch {
      return undefined; // the broker did not answer: unrealized P/L is unknown, the rest stands
    }
  };

  return {
    async trades(q: TradesQuery): Promise<TradesPage> {
      const src = await source(q);
      const ledger = deriveLedger(src.transactions, originLookup(src.origins));
      const page = listTrades(ledger.trades, { state: q.state, instrument: q.instrument, pocket: q.pocket, strategy: q.strategy, reason: q.reason, since: q.since, limit: q.limit, cursor: q.cursor });
      const upl = page.trades.some((t) => t.state === "open") ? await brokerUnrealized(src.accountId) : undefined;
      return {
        accountId: src.accountId ?? null,
        trades: page.trades.map((t) => ({ ...t, unrealizedPL: t.state === "open" ? upl?.get(t.id) ?? null : null })),
        nextCursor: page.nextCursor ?? null,
      };
    },

    async pnl(q: PnlQuery): Promise<PnlReportView> {
      const src = await source(q);
      const ledger = deriveLedger(src.transactions, originLookup(src.origins));
      const now = new Date(o.now()).toISOString();
      const upl = await brokerUnrealized(src.accountId);
      const report = aggregatePnl(ledger, q.by, {
        from: q.from, to: q.to, now,
        ...(upl ? { unrealizedByTrade: upl } : src.snapshot ? { unrealizedByInstrument: src.snapshot.unrealizedByInstrument } : {}),
      });
      return {
        ...report, accountId: src.accountId ?? null,
        unrealizedSource: upl ? "broker" : src.snapshot ? "snapshot" : "none",
        unrealizedAsOf: upl ? now : src.snapshot?.ts ?? null,
      };
    },
  };
}
