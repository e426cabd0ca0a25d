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
  /**
   * Build the request submitMarketOrder would write, and send nothing (the gate's rehearsal,
   * src/gate/rehearsal.ts): returns the bytes it would write. Optional: a venue without it is
   * simply not rehearsed.
   */
  rehearseMarketOrder?(req: MarketOrderRequest): number;
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
