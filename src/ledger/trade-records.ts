// Trades as a backtest reports them (replay's report.json and its --trades CSV): the ledger's own
// derivation (deriveLedger), flattened. Only trades opened within the transactions given (a
// replay's account may start with positions), in opening order, with the times exactly as the
// broker wrote them and the figures rounded as the report prints them. Pure.
import { roundWithoutNegativeZero as round } from "../core/round.ts";
import { deriveLedger } from "./trades.ts";
import type { OandaTransaction } from "./types.ts";
import { csvCell } from "../core/csv-cell.ts";

export interface TradeRecord {
  id: string;
  instrument: string;
  side: "buy" | "sell";
  /** Units at opening (positive). */
  units: number;
  openTime: string;
  openPrice: number;
  /** When the last unit was closed; null while open at the end. */
  closeTime: string | null;
  /** Unit-weighted mean price of the closes; null when nothing was closed. */
  closePrice: number | null;
  closedUnits: number;
  realizedPL: number;
  state: "open" | "closed";
  pocket: string;
  strategy: string;
  /** The trade's own clientExtensions id (sekisho's client id for its trades). */
  clientId: string | null;
  /** OANDA's reason of each fill that closed part of it: MARKET_ORDER, TAKE_PROFIT_ORDER, STOP_LOSS_ORDER, MARKET_ORDER_MARGIN_CLOSEOUT... */
  closedBy: string[];
}

type Json = Record<string, unknown>;

/** `txs`: the account's transactions as OANDA writes them (id, type, time and the type's fields). */
export function tradeRecords(txs: readonly Json[]): TradeRecord[] {
  const byId = new Map<string, Json>();
  for (const t of txs) byId.set(String(t.id), t);
  const rawTime = (id: string) => String(byId.get(id)!.time);
  const tradeClientId = (openTx: string) => {
    const ext = (byId.get(openTx)!.tradeOpened as Json | undefined)?.clientExtensions as Json | undefined;
    return typeof ext?.id === "string" ? ext.id : null;
  };
  return deriveLedger(txs as readonly OandaTransaction[]).trades
    .filter((t) => t.openTransactionId !== null)
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((t) => ({
      id: t.id, instrument: t.instrument, side: t.side, units: t.units ?? 0,
      openTime: rawTime(t.openTransactionId!), openPrice: t.openPrice ?? 0,
      closeTime: t.closeTransactionId === null ? null : rawTime(t.closeTransactionId),
      closePrice: t.closePrice === null ? null : round(t.closePrice, 6),
      closedUnits: round(t.closedUnits, 6), realizedPL: round(t.realizedPL, 4), state: t.state,
      pocket: t.pocket, strategy: t.strategy, clientId: tradeClientId(t.openTransactionId!), closedBy: t.closedBy,
    }));
}

/** The records as CSV (RFC 4180), one row per trade, in opening order. */
export function tradeRecordsCsv(trades: readonly TradeRecord[]): string {
  const cols = ["id", "instrument", "side", "units", "openTime", "openPrice", "closeTime", "closePrice", "closedUnits", "realizedPL", "state", "pocket", "strategy", "clientId", "closedBy"] as const;
  // A list (closedBy) is one cell, its items separated by spaces.
  const cell = (v: unknown) => csvCell(Array.isArray(v) ? v.join(" ") : v);
  return `${[cols.join(","), ...trades.map((t) => cols.map((c) => cell(t[c])).join(","))].join("\r\n")}\r\n`;
}
