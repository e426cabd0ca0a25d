// What each trade paid to trade, read from the broker's own fills (OANDA ORDER_FILL
// transactions, which the simulator writes the same way): the half spread at the open and at
// each close (OANDA's halfSpreadCost, already in the home currency) and the slippage, i.e. how
// far the fill price was from the quoted side (fullPrice) against the trader. Pure.
import type { OandaTransaction } from "../ledger/index.ts";

export interface TradeCosts {
  /** Half spread paid at the open plus at every close, home currency. */
  spread: number;
  /** Price worse than the quote at the open and the closes (never negative in the simulator), home currency. */
  slippage: number;
  /** Quote -> home conversion seen on the trade's fills (1 when the account is in the quote currency). */
  quoteHome: number;
}

type Json = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" && v !== "" ? Number(v) : Number.NaN);
const finite = (x: number, d = 0) => (Number.isFinite(x) ? x : d);

/** The quoted price a fill of `units` (signed) should have had: ask for a buy, bid for a sell. */
function quotedSide(fill: Json, units: number): number | undefined {
  const fp = fill.fullPrice as { bids?: { price?: unknown }[]; asks?: { price?: unknown }[] } | undefined;
  const level = units > 0 ? fp?.asks?.[0] : fp?.bids?.[0];
  const p = num(level?.price);
  return Number.isFinite(p) ? p : undefined;
}

/** Costs per OANDA trade id, from every ORDER_FILL that opened, reduced or closed it. */
export function costsByTrade(transactions: Iterable<OandaTransaction>): Map<string, TradeCosts> {
  const out = new Map<string, TradeCosts>();
  for (const tx of transactions) {
    if (tx.type !== "ORDER_FILL") continue;
    const fill = tx as Json;
    const price = num(fill.price);
    const q = finite(num(fill.gainQuoteHomeConversionFactor), 1) || 1;
    const parts: Json[] = [
      ...(fill.tradeOpened ? [fill.tradeOpened as Json] : []),
      ...(Array.isArray(fill.tradesClosed) ? (fill.tradesClosed as Json[]) : []),
      ...(fill.tradeReduced ? [fill.tradeReduced as Json] : []),
    ];
    for (const p of parts) {
      const id = String(p.tradeID);
      const units = num(p.units);
      const c = out.get(id) ?? { spread: 0, slippage: 0, quoteHome: q };
      c.spread += finite(num(p.halfSpreadCost));
      const quote = quotedSide(fill, units);
      // Adverse only: paying more than the ask on a buy, getting less than the bid on a sell.
      if (quote !== undefined && Number.isFinite(price) && Number.isFinite(units)) c.slippage += Math.max(0, (price - quote) * units) * q;
      out.set(id, c);
    }
  }
  return out;
}
