// P/L aggregations over a derived ledger: by OANDA trading day (ends 17:00 New York), pocket,
// strategy or instrument. Pure. Realized P/L and financing are summed from the money events, so
// they add up to the broker's balance change; trade counts, win rate and profit factor are over
// the trades closed in the group (a win is a trade whose realized P/L plus financing is above 0);
// max drawdown is the largest fall of the group's running net P/L from its highest point (0 at
// the start of the period), in time order.
import { addMoney, fromUnits, toUnits } from "./money.ts";
import { tradingDay } from "./time.ts";
import type { Ledger, PnlEvent, Trade } from "./types.ts";

export const PNL_GROUPINGS = ["day", "pocket", "strategy", "instrument"] as const;
export type PnlGroupBy = (typeof PNL_GROUPINGS)[number];

export interface PnlRow {
  /** The trading day (YYYY-MM-DD), pocket, strategy or instrument; "total" for the total row. */
  key: string;
  realized: number;
  financing: number;
  /** Commission and fees (reduce the balance; 0 on OANDA Japan). */
  fees: number;
  /** realized + financing − fees: the balance change. */
  net: number;
  /** Open trades' unrealized P/L now; null when not known for this grouping. */
  unrealized: number | null;
  /** Trades closed in the group. */
  trades: number;
  wins: number;
  losses: number;
  /** wins / trades; null without closed trades. */
  winRate: number | null;
  /** Gross profit / gross loss of the closed trades; null when no trade lost. */
  profitFactor: number | null;
  maxDrawdown: number;
}

export interface PnlReport {
  by: PnlGroupBy;
  rows: PnlRow[];
  total: PnlRow;
}

export interface PnlOptions {
  /** Only money and closes at or after this ISO time. */
  from?: string;
  /** Only money and closes before this ISO time. */
  to?: string;
  /** Unrealized P/L of open trades, by trade id (the broker's figures). */
  unrealizedByTrade?: ReadonlyMap<string, number>;
  /** When only per-instrument figures are known (an account snapshot): used for by=instrument and the total. */
  unrealizedByInstrument?: ReadonlyMap<string, number>;
  /** The current time, for the trading day unrealized P/L belongs to (by=day). */
  now?: string;
}

function keyOfEvent(e: PnlEvent, by: PnlGroupBy): string {
  switch (by) {
    case "day": return tradingDay(e.time);
    case "pocket": return e.pocket;
    case "strategy": return e.strategy;
    case "instrument": return e.instrument ?? "account";
  }
}

function keyOfTrade(t: Trade, by: PnlGroupBy, now: string | undefined): string | undefined {
  switch (by) {
    case "day": return t.closeTime ? tradingDay(t.closeTime) : now ? tradingDay(now) : undefined;
    case "pocket": return t.pocket;
    case "strategy": return t.strategy;
    case "instrument": return t.instrument;
  }
}

class Acc {
  realized = 0; financing = 0; fees = 0; trades = 0; wins = 0; losses = 0;
  gain = 0; loss = 0; cum = 0; peak = 0; dd = 0; unrealized: number | null = null;
  addEvent(e: PnlEvent): void {
    this.realized += toUnits(e.realized);
    this.financing += toUnits(e.financing);
    this.fees += toUnits(e.fees);
    this.cum += toUnits(e.realized) + toUnits(e.financing) - toUnits(e.fees);
    this.peak = Math.max(this.peak, this.cum);
    this.dd = Math.max(this.dd, this.peak - this.cum);
  }
  addClosed(t: Trade): void {
    this.trades++;
    const n = toUnits(t.netPL);
    if (n > 0) { this.wins++; this.gain += n; }
    if (n < 0) { this.losses++; this.loss -= n; }
  }
  addUnrealized(x: number): void {
    this.unrealized = addMoney(this.unrealized ?? 0, x);
  }
  row(key: string): PnlRow {
    return {
      key, realized: fromUnits(this.realized), financing: fromUnits(this.financing), fees: fromUnits(this.fees),
      net: fromUnits(this.realized + this.financing - this.fees), unrealized: this.unrealized,
      trades: this.trades, wins: this.wins, losses: this.losses,
      winRate: this.trades > 0 ? this.wins / this.trades : null,
      profitFactor: this.losses > 0 ? this.gain / this.loss : null,
      maxDrawdown: fromUnits(this.dd),
    };
  }
}

const within = (t: string, o: PnlOptions) => (o.from === undefined || t >= o.from) && (o.to === undefined || t < o.to);

export function aggregatePnl(ledger: Ledger, by: PnlGroupBy, o: PnlOptions = {}): PnlReport {
  const groups = new Map<string, Acc>();
  const total = new Acc();
  const acc = (k: string) => {
    let a = groups.get(k);
    if (!a) groups.set(k, (a = new Acc()));
    return a;
  };
  const events = ledger.events.filter((e) => within(e.time, o)).sort((a, b) => Number(a.transactionId) - Number(b.transactionId));
  for (const e of events) {
    acc(keyOfEvent(e, by)).addEvent(e);
    total.addEvent(e);
  }
  for (const t of ledger.trades) {
    if (t.state === "closed" && t.closeTime && within(t.closeTime, o)) {
      acc(keyOfTrade(t, by, o.now)!).addClosed(t);
      total.addClosed(t);
    }
  }
  if (o.unrealizedByTrade) {
    total.addUnrealized(0);
    for (const t of ledger.trades) {
      const u = t.state === "open" ? o.unrealizedByTrade.get(t.id) : undefined;
      if (u === undefined) continue;
      const k = keyOfTrade(t, by, o.now);
      if (k !== undefined) acc(k).addUnrealized(u);
      total.addUnrealized(u);
    }
  } else if (o.unrealizedByInstrument) {
    total.addUnrealized(0);
    for (const [instrument, u] of o.unrealizedByInstrument) {
      if (by === "instrument") acc(instrument).addUnrealized(u);
      else if (by === "day" && o.now) acc(tradingDay(o.now)).addUnrealized(u);
      total.addUnrealized(u);
    }
  }
  const rows = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, a]) => a.row(k));
  return { by, rows, total: total.row("total") };
}
