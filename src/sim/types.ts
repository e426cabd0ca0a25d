// The simulator's vocabulary: prices, trades, orders, transactions and what a request returns.
// Plain data shared by the engine's parts (ledger, validation, fills, dependents, closeout,
// closes, financing) and the wire views.

export type Json = Record<string, unknown>;
export type Transaction = Json & { id: string; type: string; time: string };

export interface PriceState {
  instrument: string;
  bid: number;
  ask: number;
  /** Epoch ms of the price. */
  time: number;
  tradeable: boolean;
}

export interface TickInput {
  instrument: string;
  bid: number;
  ask: number;
  time?: number;
  tradeable?: boolean;
}

export interface ClientExtensions {
  id?: string;
  tag?: string;
  comment?: string;
}

export interface SimTrade {
  id: string;
  instrument: string;
  price: number;
  openTime: number;
  /** Signed: positive long, negative short. */
  initialUnits: number;
  currentUnits: number;
  initialMarginRequired: number;
  realizedPL: number;
  /** Financing paid (negative) or received over the trade's life, in the home currency. */
  financing: number;
  closedUnits: number;
  closeValue: number;
  closingTransactionIDs: string[];
  closeTime?: number;
  clientExtensions?: ClientExtensions;
  takeProfitOrderID?: string;
  stopLossOrderID?: string;
}

export type OrderState = "PENDING" | "FILLED" | "TRIGGERED" | "CANCELLED";

export interface SimOrder {
  id: string;
  type: "MARKET" | "TAKE_PROFIT" | "STOP_LOSS";
  state: OrderState;
  createTime: number;
  clientExtensions?: ClientExtensions;
  /** The order's own fields as OANDA shows them (instrument, units, timeInForce, ...). */
  fields: Json;
  /** For TAKE_PROFIT / STOP_LOSS: the trade it closes and the trigger price. */
  tradeID?: string;
  price?: number;
  fillingTransactionID?: string;
  filledTime?: number;
  tradeOpenedID?: string;
  tradeReducedID?: string;
  tradeClosedIDs?: string[];
  cancellingTransactionID?: string;
  cancelledTime?: number;
}

/** What came of an order request, with the transactions OANDA would return. */
export interface OrderResult {
  status: 200 | 201 | 400 | 404;
  body: Json;
}

export interface AccountNumbers {
  balance: number;
  unrealizedPL: number;
  nav: number;
  marginUsed: number;
  marginAvailable: number;
  positionValue: number;
  marginCloseoutPercent: number;
  marginCallPercent: number;
}

/** Which trades a fill closes (FIFO) and what it opens. */
export interface FillPlan {
  closes: { trade: SimTrade; units: number }[];
  /** Signed units of a new trade, 0 for none. */
  open: number;
}

export const POSITION_FILLS = ["DEFAULT", "OPEN_ONLY", "REDUCE_FIRST", "REDUCE_ONLY"] as const;
export type PositionFillValue = (typeof POSITION_FILLS)[number];

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A decimal as OANDA sends it (a string) or a finite number; undefined otherwise. */
export function decimalOf(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string" || !DECIMAL.test(v.trim())) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function isDecimal(v: string): boolean {
  return DECIMAL.test(v);
}

export function pick(o: Json, keys: string[]): Json {
  const out: Json = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

export const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
export const roundUnits = (x: number): number => Math.round(x * 1e6) / 1e6;

const REJECT_MESSAGES: Record<string, string> = {
  CLIENT_ORDER_ID_ALREADY_EXISTS: "The client Order ID specified is already in use",
  INSTRUMENT_UNKNOWN: "The Order instrument is unknown",
  INSTRUMENT_MISSING: "The Order instrument has not been specified",
  UNITS_MISSING: "The Order units have not been specified",
  UNITS_INVALID: "The Order units specified are invalid",
  UNITS_MIMIMUM_NOT_MET: "The units specified is less than the minimum trade size",
  CLOSEOUT_POSITION_DOESNT_EXIST: "The Position requested to be closed out does not exist",
  CLOSEOUT_POSITION_UNITS_EXCEED_POSITION_SIZE: "The number of units requested to be closed out exceeds the size of the Position",
  CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE: "The units specified exceeds the current units of the Trade",
  UNITS_PRECISION_EXCEEDED: "The Order units specified have more precision than the instrument allows",
};

export function rejectMessage(reason: string): string {
  return REJECT_MESSAGES[reason] ?? `The order request was rejected: ${reason}`;
}
