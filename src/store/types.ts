// The journal's public row shapes (camelCase), as the gate, the HTTP API and `sekisho orders` see
// them. The stored columns are in tables.ts; mapping between the two is in orders.ts and friends.
import type { OrderStatus } from "../core/orders.ts";

export type { OrderStatus };
export type { DecisionOutcome, NewDecision, NewOrderIntent, OrderPatch, SignalOrigin } from "../core/journal-records.ts";
import type { DecisionOutcome, SignalOrigin } from "../core/journal-records.ts";

/** The account and run mode a journal writes for: stamped on every row it writes. */
export interface JournalScope {
  accountId: string;
  mode: "paper" | "practice" | "live";
}

export interface OrderRow extends SignalOrigin {
  id: number;
  clientId: string;
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
  /** The OANDA account the order was for; null on rows from before migration 003 of unknown origin. */
  accountId: string | null;
  /** paper, practice or live; null like accountId. */
  mode: JournalScope["mode"] | null;
}

export interface OrderFilter {
  status?: OrderStatus;
  /** Only this OANDA account. */
  accountId?: string;
  /** Only this run mode (paper, practice, live). */
  mode?: string;
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

export interface DecisionRow extends SignalOrigin {
  id: number;
  ts: string;
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
