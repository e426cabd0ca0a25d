// The journal's public row shapes (camelCase), as the gate, the HTTP API and `sekisho orders` see
// them. The stored columns are in tables.ts; mapping between the two is in orders.ts and friends.
import type { OrderStatus, PositionFill } from "../core/orders.ts";
import type { Side } from "../core/types.ts";

export type { OrderStatus };

export interface NewOrderIntent {
  clientId: string;
  signalId: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: Side;
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

export interface OrderRow {
  id: number;
  clientId: string;
  signalId: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: Side;
  requestedUnits: number;
  filledUnits: number | null;
  reduceOnly: boolean;
  positionFill: string;
  priceBound: number | null;
  tpPrice: number | null;
  slPrice: number | null;
  status: OrderStatus;
  oandaOrderId: string | null;
  oandaTradeId: string | null;
  oandaTransactionId: string | null;
  fillPrice: number | null;
  cancelReason: string | null;
  rejectReason: string | null;
  errorCode: string | null;
  error: string | null;
  note: string | null;
  /** Stored as text; JSON as it was given. */
  requestJson: string | null;
  responseJson: string | null;
  intentAt: string;
  submittedAt: string | null;
  unknownAt: string | null;
  filledAt: string | null;
  cancelledAt: string | null;
  rejectedAt: string | null;
  reconciledAt: string | null;
  updatedAt: string;
}

export interface OrderFilter {
  status?: OrderStatus;
  instrument?: string;
  /** ISO-8601; orders whose intent was written at or after it. */
  since?: string;
  /** Default 100, at most 10,000. */
  limit?: number;
  /** From a previous page's nextCursor. */
  cursor?: string;
}

export interface OrderPage {
  /** Newest first. */
  rows: OrderRow[];
  nextCursor?: string;
}

export type DecisionOutcome = "accepted" | "skipped" | "error";

export interface NewDecision {
  /** ISO-8601; defaults to the journal clock's now. */
  ts?: string;
  signalId: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: Side;
  outcome: DecisionOutcome;
  reason?: string;
  units?: number;
  /** The numbers behind the decision (stored as JSON). */
  detail?: unknown;
  clientId?: string;
}

export interface DecisionRow {
  id: number;
  ts: string;
  signalId: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: Side;
  outcome: DecisionOutcome;
  reason: string | null;
  units: number | null;
  detail: unknown;
  clientId: string | null;
}

export interface ControlRow {
  id: number;
  ts: string;
  action: string;
  actor: string;
  detail: unknown;
}
