// Performance of a set of closed trades, as a trader reads a backtest: trades, win rate, profit
// factor, expectancy, maximum drawdown and a Sharpe ratio. Pure functions of the trades.
import type { TradeRecord as ReplayTrade } from "../ledger/index.ts";

export interface Performance {
  /** Closed trades counted (open ones are not: their P/L is not realized). */
  trades: number;
  open: number;
  wins: number;
  losses: number;
  /** wins / trades; null without trades. */
  winRate: number | null;
  grossProfit: number;
  grossLoss: number;
  netPL: number;
  /** grossProfit / |grossLoss|; null when nothing was lost (undefined ratio). */
  profitFactor: number | null;
  /** Mean realized P/L per closed trade; null without trades. */
  expectancy: number | null;
  /** Largest fall of the cumulative realized P/L from its running peak (trades in closing order), >= 0. */
  maxDrawdown: number;
  /**
   * Per-trade Sharpe ratio: mean P/L / standard deviation of P/L over the closed trades (not
   * annualised: a replay's trades are not evenly spread in time); null with fewer than 2 trades
   * or no variation.
   */
  sharpe: number | null;
}

const r = (x: number, d = 2) => {
  const f = 10 ** d;
  const v = Math.round(x * f) / f;
  return Object.is(v, -0) ? 0 : v;
};

export function performance(trades: readonly ReplayTrade[]): Performance {
  const closed = trades.filter((t) => t.state === "closed").sort((a, b) => (a.closeTime! < b.closeTime! ? -1 : a.closeTime! > b.closeTime! ? 1 : 0));
  const pl = closed.map((t) => t.realizedPL);
  const wins = pl.filter((x) => x > 0).length;
  const losses = pl.filter((x) => x < 0).length;
  const grossProfit = pl.filter((x) => x > 0).reduce((a, b) => a + b, 0);
  const grossLoss = pl.filter((x) => x < 0).reduce((a, b) => a + b, 0);
  const net = grossProfit + grossLoss;
  let peak = 0, cum = 0, dd = 0;
  for (const x of pl) {
    cum += x;
    peak = Math.max(peak, cum);
    dd = Math.max(dd, peak - cum);
  }
  const mean = pl.length ? net / pl.length : 0;
  const sd = pl.length > 1 ? Math.sqrt(pl.reduce((a, x) => a + (x - mean) ** 2, 0) / (pl.length - 1)) : 0;
  return {
    trades: closed.length,
    open: trades.length - closed.length,
    wins,
    losses,
    winRate: closed.length ? r(wins / closed.length, 4) : null,
    grossProfit: r(grossProfit),
    grossLoss: r(grossLoss),
    netPL: r(net),
    profitFactor: grossLoss < 0 ? r(grossProfit / -grossLoss, 3) : null,
    expectancy: closed.length ? r(mean) : null,
    maxDrawdown: r(dd),
    sharpe: pl.length > 1 && sd > 1e-12 ? r(mean / sd, 3) : null,
  };
}

export interface GroupPerformance extends Performance {
  strategy: string;
  pocket: string;
}

/** One row per strategy and pocket (sorted), and "all" for everything sekisho traded. */
export function performanceByGroup(trades: readonly ReplayTrade[]): { all: Performance; groups: GroupPerformance[] } {
  const groups = new Map<string, ReplayTrade[]>();
  for (const t of trades) {
    const k = `${t.strategy}\u0000${t.pocket}`;
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  const rows = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, ts]) => {
    const [strategy, pocket] = k.split("\u0000") as [string, string];
    return { strategy, pocket, ...performance(ts) };
  });
  return { all: performance(trades.filter((t) => t.pocket !== "manual")), groups: rows };
}
