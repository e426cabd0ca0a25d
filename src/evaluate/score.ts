// A strategy's score on one run: the numbers a trader asks for, after costs. Trades and P/L come
// from the ledger (src/ledger: the same derivation /trades and /pnl use, so win rate, profit
// factor and drawdown are computed once in this program); the costs come from the fills
// (costs.ts). Pure: transactions in, numbers out, rounded so the same run prints the same text.
import { aggregatePnl, deriveLedger, tradingDay, type OandaTransaction, type Trade } from "../ledger/index.ts";
import { costsByTrade } from "./costs.ts";
import { roundWithoutNegativeZero as r } from "../core/round.ts";

export interface Score {
  /** Closed trades (a trade still open at the end is not scored: its P/L is not realized). */
  trades: number;
  openAtEnd: number;
  tradesPerDay: number;
  winRate: number | null;
  profitFactor: number | null;
  /** Mean P/L per closed trade in pips, after the spread, slippage and financing. */
  expectancyPips: number | null;
  /** realized + financing of the closed trades, home currency. */
  netPL: number;
  /** Largest fall of the running net P/L from its peak (home currency, >= 0). */
  maxDrawdown: number;
  /** Mean / standard deviation of net P/L per trading day, times sqrt(252); null under 5 days. */
  sharpe: number | null;
  /** Half spreads paid at opens and closes, home currency. */
  spreadCost: number;
  slippageCost: number;
  financing: number;
  /** Spread paid / the winning trades' P/L before costs: how much of what the edge made went to the spread (null when nothing won before costs). */
  spreadShare: number | null;
}

export interface RunScore extends Score {
  /** Trading days of data the run stood on. */
  days: number;
}

export interface ScoreContext {
  /** Pip size of the instrument (0.01 for USD_JPY). */
  pip: number;
  /** Trading days (17:00 New York) the data covers: trades per day and the daily Sharpe use them. */
  days: readonly string[];
}


/** Scores by strategy (the trade's tag), plus "all" for every trade sekisho opened. */
export function scoreRun(transactions: readonly OandaTransaction[], ctx: ScoreContext): Map<string, Score> {
  const ledger = deriveLedger(transactions);
  const costs = costsByTrade(transactions);
  const ours = ledger.trades.filter((t) => t.pocket !== "manual" && t.pocket !== "unknown");
  const byStrategy = new Map<string, Trade[]>();
  for (const t of ours) byStrategy.set(t.strategy, [...(byStrategy.get(t.strategy) ?? []), t]);
  const out = new Map<string, Score>();
  for (const [k, ts] of [...byStrategy.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out.set(k, scoreTrades(ts, costs, ctx));
  out.set("all", scoreTrades(ours, costs, ctx));
  return out;
}

function scoreTrades(trades: readonly Trade[], costs: ReturnType<typeof costsByTrade>, ctx: ScoreContext): Score {
  const closed = trades.filter((t) => t.state === "closed");
  // Win rate, profit factor and drawdown: the ledger's own aggregation over these trades' money.
  const ids = new Set(closed.map((t) => t.id));
  const events = closed.flatMap((t) => [{ transactionId: t.closeTransactionId ?? t.id, time: t.closeTime!, tradeId: t.id, instrument: t.instrument, pocket: t.pocket, strategy: t.strategy, realized: t.realizedPL, financing: t.financing, fees: 0 }]);
  const agg = aggregatePnl({ trades: closed, events: events.filter((e) => ids.has(e.tradeId)), transfers: 0, lastBalance: null }, "strategy").total;

  let spread = 0, slippage = 0, pips = 0, winsBeforeCosts = 0;
  const byDay = new Map<string, number>(ctx.days.map((d) => [d, 0]));
  for (const t of closed) {
    const c = costs.get(t.id) ?? { spread: 0, slippage: 0, quoteHome: 1 };
    spread += c.spread;
    slippage += c.slippage;
    // Pips from money: net P/L / (units x pip x quote->home), so financing counts too.
    const perPip = (t.units ?? t.closedUnits) * ctx.pip * c.quoteHome;
    if (perPip > 0) pips += t.netPL / perPip;
    winsBeforeCosts += Math.max(0, t.realizedPL + c.spread + c.slippage);
    const day = tradingDay(t.closeTime!);
    byDay.set(day, (byDay.get(day) ?? 0) + t.netPL);
  }
  const daily = [...byDay.values()];
  const mean = daily.length ? daily.reduce((a, b) => a + b, 0) / daily.length : 0;
  const sd = daily.length > 1 ? Math.sqrt(daily.reduce((a, x) => a + (x - mean) ** 2, 0) / (daily.length - 1)) : 0;
  const days = Math.max(1, ctx.days.length);
  return {
    trades: closed.length,
    openAtEnd: trades.length - closed.length,
    tradesPerDay: r(closed.length / days, 2),
    winRate: agg.winRate === null ? null : r(agg.winRate, 4),
    profitFactor: agg.profitFactor === null ? null : r(agg.profitFactor, 3),
    expectancyPips: closed.length ? r(pips / closed.length, 3) : null,
    netPL: r(agg.net),
    maxDrawdown: r(agg.maxDrawdown),
    sharpe: daily.length >= 5 && sd > 1e-9 ? r((mean / sd) * Math.sqrt(252), 3) : null,
    spreadCost: r(spread),
    slippageCost: r(slippage),
    financing: r(agg.financing),
    spreadShare: winsBeforeCosts > 0 ? r(spread / winsBeforeCosts, 4) : null,
  };
}

/** OANDA's pip: the second decimal for JPY-quoted pairs, the fourth otherwise. */
const pipOf = (instrument: string): number => (instrument.endsWith("_JPY") ? 0.01 : 0.0001);

export const emptyScore = (days: number): RunScore => ({
  days, trades: 0, openAtEnd: 0, tradesPerDay: 0, winRate: null, profitFactor: null, expectancyPips: null, netPL: 0, maxDrawdown: 0,
  sharpe: null, spreadCost: 0, slippageCost: 0, financing: 0, spreadShare: null,
});

/**
 * One replay's transactions scored by strategy tag (and "all"), over the trading days that hold
 * `times` (the replayed prices' times): what `sekisho evaluate` scores each run with, and what the
 * replay report page shows.
 */
export function scoreReplayRun(transactions: readonly OandaTransaction[], instrument: string, times: Iterable<number>): { days: number; scores: Map<string, RunScore> } {
  const days = tradingDaysOf(times);
  const scores = new Map<string, RunScore>();
  for (const [k, s] of scoreRun(transactions, { pip: pipOf(instrument), days })) scores.set(k, { days: days.length, ...s });
  return { days: days.length, scores };
}

export type Verdict = "beats_costs" | "loses_after_costs" | "too_few_trades";

/** Beats its costs: net P/L above 0 and profit factor above 1, on at least `minTrades` closed trades. */
export function verdictOf(s: Score, minTrades: number): Verdict {
  if (s.trades < minTrades) return "too_few_trades";
  return s.netPL > 0 && (s.profitFactor === null || s.profitFactor > 1) ? "beats_costs" : "loses_after_costs";
}

const HOUR_MS = 3_600_000;

/** The trading days that hold data (a day ends at 17:00 New York, always on a UTC hour, so one look per hour is enough). */
export function tradingDaysOf(times: Iterable<number>): string[] {
  const hours = new Set<number>();
  for (const t of times) hours.add(Math.floor(t / HOUR_MS));
  const days = new Set<string>();
  for (const h of hours) days.add(tradingDay(new Date(h * HOUR_MS).toISOString()));
  return [...days].sort();
}
