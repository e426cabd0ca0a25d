// The agent's GET /trades and GET /pnl: read the ledger source from the journal (the account's
// transactions and the order journal), derive trades (src/ledger), and add the broker's unrealized
// P/L of open trades, read fresh when the figures are for the agent's own account.
import type { Kysely } from "kysely";
import { ApiError, type PnlQuery, type PnlReportView, type TradesPage, type TradesQuery } from "../http/deps.ts";
import { aggregatePnl, deriveLedger, type Ledger, listTrades, originLookup } from "../ledger/index.ts";
import { LedgerScopeError, type LedgerSource, readLedgerSource } from "../store/ledger-source.ts";
import type { JournalDB } from "../store/tables.ts";

export interface LedgerApiOptions {
  db: Kysely<JournalDB>;
  /** The journal's change sequence (journal.feed.head()): the derived ledger is reused until it moves. */
  changeHead: () => Promise<number>;
  /** The agent's own account: the default, and the one whose open trades the broker can price now. */
  ownAccountId?: string;
  /** The broker's open trades with their unrealized P/L (OandaClient.openTrades). */
  openTrades?: () => Promise<{ id: string; unrealizedPL?: number }[]>;
  now: () => number;
}

export function ledgerApi(o: LedgerApiOptions) {
  // The dashboard polls /trades and /pnl; deriving runs on the agent's thread. So the derived
  // ledger is kept until the journal changes (its change sequence moves on every write to a
  // replicated table: a transaction, an order, ...), and a poll between changes costs one read.
  let cache: { key: string; source: LedgerSource; ledger: Ledger } | undefined;
  const derived = async (q: { account?: string; mode?: string }): Promise<{ source: LedgerSource; ledger: Ledger }> => {
    const scope = { accountId: q.account ?? (q.mode === undefined ? o.ownAccountId : undefined), mode: q.mode };
    const key = `${scope.accountId ?? ""}|${scope.mode ?? ""}|${await o.changeHead()}`;
    if (cache?.key === key) return cache;
    let source: LedgerSource;
    try {
      source = await readLedgerSource(o.db, scope);
    } catch (e) {
      if (e instanceof LedgerScopeError) throw new ApiError(400, "account_scope", e.message);
      throw e;
    }
    cache = { key, source, ledger: deriveLedger(source.transactions, originLookup(source.origins)) };
    return cache;
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
      const { source: src, ledger } = await derived(q);
      const page = listTrades(ledger.trades, { state: q.state, instrument: q.instrument, pocket: q.pocket, strategy: q.strategy, reason: q.reason, since: q.since, limit: q.limit, cursor: q.cursor });
      const upl = page.trades.some((t) => t.state === "open") ? await brokerUnrealized(src.accountId) : undefined;
      return {
        accountId: src.accountId ?? null,
        trades: page.trades.map((t) => ({ ...t, unrealizedPL: t.state === "open" ? upl?.get(t.id) ?? null : null })),
        nextCursor: page.nextCursor ?? null,
      };
    },

    async pnl(q: PnlQuery): Promise<PnlReportView> {
      const { source: src, ledger } = await derived(q);
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
