// What execution needs from the rest of the node, as narrow structural types: the journal in
// src/store and the registry in src/metrics satisfy them. The records it writes are the shared
// vocabulary in src/core/journal-records.ts.
import type { OrderStatus } from "../core/orders.ts";
import type { NewOrderIntent, OrderPatch } from "../core/journal-records.ts";

/** The columns of a journal order execution reads back (reconciliation, duplicate checks). */
export interface JournalOrderRow {
  clientId: string;
  signalId: string;
  instrument: string;
  side: string;
  status: OrderStatus;
  requestedUnits: number;
  positionFill: string;
  pocket: string;
  strategy: string;
  intentAt?: string;
  updatedAt?: string;
  requestJson?: string | null;
  oandaOrderId?: string | null;
  unknownAt?: string | null;
  submittedAt?: string | null;
}

export interface OrderJournal {
  /**
   * Written as `submitted` when the request is sent next (one commit instead of two). Returns the
   * row the client id has: this one, or the first written under it (the journal keeps that).
   */
  insertIntent(o: NewOrderIntent, status?: "intent" | "submitted"): Promise<Pick<JournalOrderRow, "signalId" | "requestJson">>;
  /**
   * Where the journal keeps an intent log: the intent made durable there now (no SQL), and the step
   * that writes its row, to run once the request is written. Undefined: use insertIntent.
   */
  appendIntent?(o: NewOrderIntent): { fold: () => Promise<void> } | undefined;
  /** The line appendIntent would write, built and not written (a rehearsal): its bytes, 0 if none (optional). */
  rehearseIntent?(o: NewOrderIntent): number;
  advance(clientId: string, to: OrderStatus, patch?: OrderPatch): Promise<unknown>;
  findByClientId(clientId: string): Promise<JournalOrderRow | undefined>;
  /** True when the journal proves, from memory, that it holds no row of this signal id or client ids (optional). */
  provesAbsent?(signalId: string, clientIds: readonly string[]): boolean;
  /** Every row a signal produced, oldest first: the signal id is the idempotency key. */
  findBySignalId(signalId: string): Promise<JournalOrderRow[]>;
  /** The row that claimed a broker order id. */
  findByOandaOrderId(orderId: string): Promise<JournalOrderRow | undefined>;
  claimOandaOrderId(clientId: string, orderId: string): Promise<boolean>;
  unsettled(): Promise<JournalOrderRow[]>;
}

export interface ExecutionMetrics {
  tickToSubmit?(seconds: number): void;
  orderSettled?(status: OrderStatus): void;
}
