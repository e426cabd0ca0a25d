// Output formats of `sekisho orders`: a readable table, JSON (an array of order objects) or CSV.
import type { OrderRow } from "../../store/types.ts";
import { csv, type TextColumn, textTable } from "../listing-format.ts";

/** CSV columns: every field of an order, in this order (the JSON objects carry the same names). */
const CSV_COLUMNS: (keyof OrderRow)[] = [
  "id", "clientId", "signalId", "worker", "strategy", "pocket", "instrument", "side", "requestedUnits", "filledUnits",
  "reduceOnly", "positionFill", "priceBound", "tpPrice", "slPrice", "status", "oandaOrderId", "oandaTradeId",
  "oandaTransactionId", "fillPrice", "cancelReason", "rejectReason", "errorCode", "error", "note", "requestJson",
  "responseJson", "intentAt", "submittedAt", "unknownAt", "filledAt", "cancelledAt", "rejectedAt", "reconciledAt", "updatedAt", "accountId", "mode",
];

export function formatJson(rows: OrderRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}


export function formatCsv(rows: OrderRow[]): string {
  return csv(CSV_COLUMNS, rows.map((r) => CSV_COLUMNS.map((c) => r[c])));
}

const TABLE: (TextColumn & { get: (r: OrderRow) => string })[] = [
  { title: "ID", get: (r) => String(r.id), right: true },
  { title: "INTENT AT (UTC)", get: (r) => r.intentAt.replace("T", " ").replace("Z", "") },
  { title: "CLIENT ID", get: (r) => r.clientId },
  { title: "INSTRUMENT", get: (r) => r.instrument },
  { title: "SIDE", get: (r) => r.side },
  { title: "UNITS", get: (r) => String(r.requestedUnits), right: true },
  { title: "FILLED", get: (r) => (r.filledUnits === null ? "-" : String(r.filledUnits)), right: true },
  { title: "PRICE", get: (r) => (r.fillPrice === null ? "-" : String(r.fillPrice)), right: true },
  { title: "STATUS", get: (r) => r.status },
  { title: "RO", get: (r) => (r.reduceOnly ? "yes" : "") },
  { title: "POCKET", get: (r) => r.pocket },
  { title: "STRATEGY", get: (r) => r.strategy },
  { title: "REASON", get: (r) => r.rejectReason ?? r.cancelReason ?? r.error ?? "" },
];

/** Shown when the listing spans several accounts or modes (a journal or Turso database shared by agents). */
const SCOPE_COLUMNS: typeof TABLE = [
  { title: "ACCOUNT", get: (r) => r.accountId ?? "-" },
  { title: "MODE", get: (r) => r.mode ?? "-" },
];

export function formatTable(rows: OrderRow[]): string {
  if (rows.length === 0) return "no orders match\n";
  const mixed = new Set(rows.map((r) => `${r.accountId}\u0000${r.mode}`)).size > 1;
  const table = mixed ? [...TABLE.slice(0, 2), ...SCOPE_COLUMNS, ...TABLE.slice(2)] : TABLE;
  return textTable(table, rows.map((r) => table.map((c) => c.get(r))));
}
