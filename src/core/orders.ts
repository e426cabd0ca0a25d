// The order vocabulary shared by the gate (which decides), the broker adapter (which speaks
// OANDA v20) and the journal (which remembers). Like NautilusTrader's split of risk and
// execution engines: the gate depends on these types, never on HTTP or SQL.
import type { Side } from "./types.ts";

export type PositionFill = "DEFAULT" | "OPEN_ONLY" | "REDUCE_ONLY" | "REDUCE_FIRST";

/** A MARKET order as the gate wants it sent. Units are a positive magnitude; side gives the sign. */
export interface MarketOrderRequest {
  /** clientExtensions.id, derived from the signal id: stable across retries and restarts. */
  clientId: string;
  instrument: string;
  side: Side;
  units: number;
  timeInForce: "FOK" | "IOC";
  /** Worst acceptable price (buy: highest, sell: lowest). */
  priceBound?: number;
  positionFill: PositionFill;
  /** clientExtensions.tag: carries pocket and strategy, e.g. "sekisho:micro:range_break". */
  tag: string;
  /** clientExtensions.comment */
  comment: string;
  takeProfitPrice?: number;
  stopLossPrice?: number;
}

/** What came of a submitted order. A 201 is not a fill: the adapter reads the transactions. */
export type OrderOutcome =
  | {
      kind: "filled";
      orderId: string;
      /** The ORDER_FILL transaction id. */
      transactionId: string;
      tradeIds: string[];
      price: number;
      /** Filled magnitude (may be less than requested for IOC). */
      units: number;
      time: string;
      lastTransactionID?: string;
      raw: unknown;
    }
  | { kind: "cancelled"; orderId?: string; transactionId?: string; reason: string; raw: unknown }
  | { kind: "rejected"; reason: string; errorCode?: string; httpStatus: number; raw: unknown }
  /** No answer (timeout, connection lost): the order may or may not exist at the broker. */
  | { kind: "unknown"; error: string };

/** What the broker knows of an order looked up by `@<clientId>`. */
export type OrderLookup =
  | { found: false }
  | { found: true; state: "PENDING" | "FILLED" | "TRIGGERED" | "CANCELLED"; orderId: string; fill?: Extract<OrderOutcome, { kind: "filled" }>; cancelReason?: string; raw: unknown };

/** The gate's view of the broker. The OANDA adapter implements it over REST. */
export interface BrokerPort {
  submitMarketOrder(req: MarketOrderRequest, signal?: AbortSignal): Promise<OrderOutcome>;
  lookupOrderByClientId(clientId: string): Promise<OrderLookup>;
  /**
   * Close (part of) one trade by id (OANDA: PUT /trades/{id}/close). Lets the gate take off
   * sekisho's own trades when a position-level REDUCE_ONLY order would hit a manual one first.
   */
  closeTrade?(tradeId: string, units: number | "ALL", signal?: AbortSignal): Promise<OrderOutcome>;
  /**
   * Close (part of) both sides of a position in ONE request (OANDA: PUT /positions/{instrument}/close
   * with longUnits and shortUnits): the broker validates the whole request before executing
   * either side. The client extensions name each side's closing order, so a lost answer is
   * settled by looking the orders up by client id.
   */
  closePosition?(instrument: string, o: PositionCloseRequest, signal?: AbortSignal): Promise<PositionCloseResult>;
  /** Fills that closed (part of) `tradeId` after a transaction id: settles a close whose answer was lost. */
  tradeCloseFills?(tradeId: string, sinceTransactionID: string): Promise<Extract<OrderOutcome, { kind: "filled" }>[]>;
}

export interface PositionCloseRequest {
  longUnits?: number;
  shortUnits?: number;
  longClientExtensions?: { id: string; tag?: string; comment?: string };
  shortClientExtensions?: { id: string; tag?: string; comment?: string };
}

/** Each requested side's outcome (absent: that side was not asked for, or the broker said nothing of it). */
export interface PositionCloseResult {
  long?: OrderOutcome;
  short?: OrderOutcome;
}

/** One leg of a reduction done trade by trade. */
export interface TradeClose {
  tradeId: string;
  units: number;
}

/** Journal status life cycle; transitions only move forward (see src/store). */
export const ORDER_STATUSES = ["intent", "submitted", "unknown", "filled", "cancelled", "rejected", "reconciled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses whose outcome at the broker is not yet known: reconciled at restart. */
export const UNSETTLED_STATUSES: readonly OrderStatus[] = ["intent", "submitted", "unknown"];

/** Every client id sekisho gives an order starts so: the ledger tells its orders from anyone else's by it. */
export const SEKISHO_CLIENT_ID_PREFIX = "sk-";
/** OANDA allows at most this many characters in clientExtensions.id. */
const MAX_CLIENT_ID = 128;
/** Characters a signal id keeps in its client id; any other becomes `_`. */
const UNSAFE = /[^A-Za-z0-9_.:-]/g;
/** The shape of a client id folded to fit (`sk-<fnv1a hex>-<last 100 characters>`), see fitClientId. */
const FOLDED = /^sk-[0-9a-f]{1,8}-[A-Za-z0-9_.:-]{100}$/;

/** Derive OANDA's clientExtensions.id from a signal id. OANDA allows at most 128 characters. */
export function clientIdForSignal(signalId: string): string {
  return fitClientId(`${SEKISHO_CLIENT_ID_PREFIX}${signalId.replace(UNSAFE, "_")}`);
}

/**
 * An id over OANDA's 128 characters folded to `sk-<hash of it>-<its last 100 characters>`: still
 * stable (the same input gives the same id after a restart), but no longer reversible.
 */
function fitClientId(id: string): string {
  return id.length <= MAX_CLIENT_ID ? id : `${SEKISHO_CLIENT_ID_PREFIX}${fnv1a(id.slice(SEKISHO_CLIENT_ID_PREFIX.length))}-${id.slice(-100)}`;
}

/**
 * The signal id a client id was derived from, as far as the client id can say: undefined when it
 * is not sekisho's, or has the folded shape of a signal id too long for 128 characters (a hash
 * cannot be reversed; a short id of the same shape cannot be told from one). Characters outside
 * `[A-Za-z0-9_.:-]` became `_` on the way in, so such ids come back in that form. The journal row
 * found by client id is the truth; this is only for a row the journal lacks (adoption).
 */
export function signalIdFromClientId(clientId: string): string | undefined {
  if (!clientId.startsWith(SEKISHO_CLIENT_ID_PREFIX) || FOLDED.test(clientId)) return undefined;
  const signalId = clientId.slice(SEKISHO_CLIENT_ID_PREFIX.length);
  return signalId !== "" && clientIdForSignal(signalId) === clientId ? signalId : undefined;
}

/**
 * The signal id an adopted journal row carries when its client id cannot say which signal it
 * came from: marked as unknown and keyed by the client id. A repeated signal is still refused,
 * by its client id (see signalClientIds).
 */
export function unknownSignalId(clientId: string): string {
  return `unknown:${clientId}`;
}

/** The client id of one side of a position close (PUT /positions/{instrument}/close): `<base>-L` or `<base>-S`. */
export function positionCloseClientId(base: string, side: "long" | "short"): string {
  return `${base.slice(0, MAX_CLIENT_ID - 3)}-${side === "long" ? "L" : "S"}`;
}

/** The base client id of a position close's side, when it was not cut to fit (undefined otherwise). */
export function positionCloseBase(clientId: string): string | undefined {
  if (!/-[LS]$/.test(clientId)) return undefined;
  const base = clientId.slice(0, -2);
  return base.length < MAX_CLIENT_ID - 3 ? base : undefined;
}

/**
 * Every client id an order of this signal can carry at the broker (its own, and a position
 * close's two sides; trade closes carry none at OANDA). A signal whose earlier order the journal
 * holds under any of them was decided before, whatever signal id that row could be given.
 */
export function signalClientIds(signalId: string): [string, string, string] {
  const base = clientIdForSignal(signalId);
  return [base, positionCloseClientId(base, "long"), positionCloseClientId(base, "short")];
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
