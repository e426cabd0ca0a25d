// What the gate needs from the rest of the agent, as narrow structural types (Kysely-style
// typed boundaries): the journal in src/store and the registry in src/metrics satisfy them.
import type { OrderStatus, PositionFill } from "../core/orders.ts";
import type { Side, Tick } from "../core/types.ts";

export interface IntentRecord {
  clientId: string;
  signalId: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: Side;
  requestedUnits: number;
  reduceOnly: boolean;
  positionFill: PositionFill;
  priceBound?: number;
  tpPrice?: number;
  slPrice?: number;
  requestJson?: string;
}

export interface OrderPatchRecord {
  requestJson?: string;
  responseJson?: string;
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

export interface JournalOrderRow {
  clientId: string;
  signalId: string;
  instrument: string;
  side: string;
  status: OrderStatus;
  requestedUnits: number;
  reduceOnly: boolean | number;
  positionFill: string;
  worker: string;
  strategy: string;
  pocket: string;
  intentAt?: string;
}

export interface DecisionRecord {
  signalId: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: Side;
  outcome: "accepted" | "skipped" | "error";
  reason: string;
  units?: number;
  clientId?: string;
  detailJson?: string;
}

export interface GateJournal {
  orders: {
    insertIntent(o: IntentRecord): Promise<unknown>;
    advance(clientId: string, to: OrderStatus, patch?: OrderPatchRecord): Promise<unknown>;
    findByClientId(clientId: string): Promise<JournalOrderRow | undefined>;
    unsettled(): Promise<JournalOrderRow[]>;
  };
  decisions: { insert(d: DecisionRecord): Promise<void> };
  control?: { insert(action: string, actor: string, detail?: unknown): Promise<void> };
}

export interface GateMetrics {
  decision(outcome: string, reason: string): void;
  tickToSubmit?(seconds: number): void;
  orderSettled?(status: OrderStatus): void;
}

/** Latest prices as the market state holds them. */
export interface PriceView {
  latest(instrument: string): Tick | undefined;
}
