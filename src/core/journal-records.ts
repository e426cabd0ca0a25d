// What the gate writes to the journal: the records both sides agree on. The store (src/store)
// persists them; the gate (src/gate) produces them. Kept here so neither depends on the other.
import type { PositionFill } from "./orders.ts";
import type { Side } from "./types.ts";

/** Which signal a journal row is about: shared by order and decision records and rows. */
export interface SignalOrigin {
  signalId: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: Side;
}

export interface NewOrderIntent extends SignalOrigin {
  clientId: string;
  /** Positive magnitude. */
  requestedUnits: number;
  reduceOnly: boolean;
  positionFill: PositionFill | string;
  priceBound?: number;
  tpPrice?: number;
  slPrice?: number;
  /** The request body as it will be sent (string or any JSON-serialisable value). */
  requestJson?: unknown;
}

export interface OrderPatch {
  requestJson?: unknown;
  responseJson?: unknown;
  filledUnits?: number;
  fillPrice?: number;
  oandaOrderId?: string;
  oandaTradeId?: string;
  oandaTransactionId?: string;
  cancelReason?: string;
  rejectReason?: string;
  errorCode?: string;
  error?: string;
  note?: string;
}

export type DecisionOutcome = "accepted" | "skipped" | "error";

export interface NewDecision extends SignalOrigin {
  /** ISO-8601; defaults to the journal clock's now. */
  ts?: string;
  outcome: DecisionOutcome;
  reason?: string;
  units?: number;
  /** The numbers behind the decision (stored as JSON). */
  detail?: unknown;
  clientId?: string;
}
