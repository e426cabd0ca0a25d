// Trades of a replay, derived from the simulator's transactions as OANDA writes them: an
// ORDER_FILL's tradeOpened starts a trade (its clientExtensions.tag `sekisho:<pocket>:<strategy>`
// says whose it is), tradesClosed / tradeReduced entries close it in parts with their realizedPL.
// Pure: the same transactions give the same trades.
import { roundWithoutNegativeZero as round } from "../core/round.ts";
import { readTag } from "../core/tag.ts";

export interface ReplayTrade {
  id: string;
  instrument: string;
  side: "buy" | "sell";
  /** Units at opening (positive). */
  units: number;
  openTime: string;
  openPrice: number;
  /** When the last unit was closed; null while open at the end of the replay. */
  closeTime: string | null;
  /** Unit-weighted mean price of the closes; null when nothing was closed. */
  closePrice: number | null;
  closedUnits: number;
  realizedPL: number;
  state: "open" | "closed";
  pocket: string;
  strategy: string;
  clientId: string | null;
  /** What closed it: MARKET_ORDER (a sekisho order), TAKE_PROFIT_ORDER, STOP_LOSS_ORDER, MARKET_ORDER_MARGIN_CLOSEOUT... */
  closedBy: string[];
}

type Tx = Record<string, unknown>;
type Part = { tradeID?: unknown; units?: unknown; price?: unknown; realizedPL?: unknown };

const n = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0));

/** A trade sekisho did not open (its tag is not sekisho's). */
const MANUAL = { pocket: "manual", strategy: "manual" } as const;

export function tradesFromTransactions(txs: readonly Tx[]): ReplayTrade[] {
  const trades = new Map<string, ReplayTrade & { closeValue: number }>();
  for (const tx of txs) {
    if (tx.type !== "ORDER_FILL") continue;
    const time = String(tx.time);
    const reason = String(tx.reason ?? "");
    const closes = [...((tx.tradesClosed as Part[] | undefined) ?? []), ...(tx.tradeReduced ? [tx.tradeReduced as Part] : [])];
    for (const c of closes) {
      const t = trades.get(String(c.tradeID));
      if (!t) continue; // opened before the replay (not in these transactions)
      const units = Math.abs(n(c.units));
      t.closedUnits = round(t.closedUnits + units, 6);
      t.closeValue += units * n(c.price);
      t.realizedPL = round(t.realizedPL + n(c.realizedPL), 4);
      t.closePrice = t.closedUnits > 0 ? round(t.closeValue / t.closedUnits, 6) : null;
      if (!t.closedBy.includes(reason)) t.closedBy.push(reason);
      if (t.closedUnits >= t.units - 1e-9) {
        t.state = "closed";
        t.closeTime = time;
      }
    }
    const o = tx.tradeOpened as (Part & { clientExtensions?: { id?: string; tag?: string } }) | undefined;
    if (o) {
      const units = n(o.units);
      const { pocket, strategy } = readTag(o.clientExtensions?.tag) ?? MANUAL;
      trades.set(String(o.tradeID), {
        id: String(o.tradeID), instrument: String(tx.instrument), side: units >= 0 ? "buy" : "sell", units: Math.abs(units),
        openTime: time, openPrice: n(o.price), closeTime: null, closePrice: null, closedUnits: 0, realizedPL: 0, state: "open",
        pocket, strategy, clientId: o.clientExtensions?.id ?? null, closedBy: [], closeValue: 0,
      });
    }
  }
  return [...trades.values()].map(({ closeValue: _, ...t }) => t);
}

/** The trades as CSV (RFC 4180), one row per trade, in opening order. */
export function tradesCsv(trades: readonly ReplayTrade[]): string {
  const cols = ["id", "instrument", "side", "units", "openTime", "openPrice", "closeTime", "closePrice", "closedUnits", "realizedPL", "state", "pocket", "strategy", "clientId", "closedBy"] as const;
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : Array.isArray(v) ? v.join(" ") : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[cols.join(","), ...trades.map((t) => cols.map((c) => cell(t[c])).join(","))].join("\r\n")}\r\n`;
}
