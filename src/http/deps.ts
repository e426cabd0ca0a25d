// The boundary between the HTTP API and the agent core. The API only reads through this
// interface and asks for changes through `control`; the agent (src/agent) implements it.
// Every method answers with plain data shaped by the zod schemas in ./schemas, which also
// generate /openapi.json, so what the document promises is what the types enforce.
import type { AckAlertsResult, HealthReport } from "./schemas/health.ts";
import type { PositionsReport } from "./schemas/positions.ts";
import type { OrdersFilter } from "./schemas/journal.ts";
import type { DecisionView, OrderView } from "./schemas/journal-views.ts";
import type { OperatorSignalInput } from "./schemas/control.ts";
import type { ControlState, FlattenResult, GateDecisionView, KillResult, PendingSignalView } from "./schemas/control-views.ts";
import type { HistoryQuery, HistoryReport } from "./schemas/history.ts";
import type { WorkerName } from "../core/types.ts";
import type { DecisionRow, OrderRow } from "../store/types.ts";

export type { HealthReport, HealthChecks } from "./schemas/health.ts";
export { overallStatus, worstStatus } from "./health-status.ts";
export type { InstrumentPosition, PositionsReport } from "./schemas/positions.ts";
export type { HistoryQuery, HistoryReport } from "./schemas/history.ts";
export type { OrdersFilter } from "./schemas/journal.ts";
export type { DecisionView, OrderView } from "./schemas/journal-views.ts";
export type { PnlQuery, TradesQuery } from "./schemas/ledger.ts";
export type { PnlReportView, TradesPage, TradeView } from "./schemas/ledger-views.ts";
import type { PnlQuery, TradesQuery } from "./schemas/ledger.ts";
import type { PnlReportView, TradesPage } from "./schemas/ledger-views.ts";
export type { OperatorSignalInput } from "./schemas/control.ts";
export type { ControlState, FlattenResult, GateDecisionView, KillResult, PendingSignalView } from "./schemas/control-views.ts";
export { ApiError } from "./errors.ts";

/** What GET /metrics needs; src/metrics/registry.ts's MetricsRegistry satisfies it. */
export interface MetricsSource {
  /** Prometheus text exposition format 0.0.4. */
  text(): Promise<string>;
  readonly contentType: string;
}

/**
 * Who asked, for the journal's who/when. From the optional `X-Sekisho-Actor` request header
 * (e.g. `alice`), prefixed with `api:`; `api:operator` without it. Never the token.
 */
export type Actor = string;

export interface ApiDeps {
  health(): Promise<HealthReport>;
  positions(): Promise<PositionsReport>;
  orders: {
    /**
     * Newest first; nextCursor absent or null on the last page. The store's listOrders /
     * journal.orders.list take this filter as is; its JournalInputError (e.g. a cursor it did
     * not issue) becomes a 400 invalid_request.
     */
    list(filter: OrdersFilter): Promise<{ rows: OrderView[]; nextCursor?: string | null }>;
    get(clientId: string): Promise<OrderView | undefined>;
  };
  /** Account figures over time from the recorded snapshots (GET /history). */
  history(q: HistoryQuery): Promise<HistoryReport>;
  /** Trades and P/L derived from the broker's ledger (src/ledger over the transactions table). */
  ledger: {
    /** Newest first; a bad cursor throws JournalInputError (400). */
    trades(query: TradesQuery): Promise<TradesPage>;
    pnl(query: PnlQuery): Promise<PnlReportView>;
  };
  /** The latest gate decisions, newest first (journal.decisions.recent). */
  signals(limit: number): Promise<DecisionView[]>;
  /** Effective configuration, ALREADY redacted (src/config/load.ts redactedConfig). */
  config(): Record<string, unknown>;
  metrics: MetricsSource;
  control: {
    /** Pause one worker, or every worker when `worker` is undefined. Journaled with actor and time. */
    pause(worker: WorkerName | undefined, actor: Actor): Promise<ControlState>;
    resume(worker: WorkerName | undefined, actor: Actor): Promise<ControlState>;
    /** Stop all entries at once; with flatten, also close every sekisho position with reduce-only orders. */
    kill(opts: { flatten: boolean }, actor: Actor): Promise<KillResult>;
    /** Close sekisho's positions (all pockets but manual) in one instrument, or all, with REDUCE_ONLY orders. */
    flatten(instrument: string | undefined, actor: Actor): Promise<FlattenResult>;
    /**
     * Publish an operator signal on the bus and resolve with the gate's decision once taken, or
     * with a pending view (202) when it is not taken in time. A repeated `input.id` must answer
     * with the first decision and never make a second order. Throw ApiError(503,
     * "signal_bus_full" | "shutting_down") when the bus cannot take it.
     */
    submitSignal(input: OperatorSignalInput, actor: Actor): Promise<GateDecisionView | PendingSignalView>;
    /** The operator has seen the ledger's alerts: they stop degrading /health until the next one. Journaled. */
    ackAlerts(actor: Actor): Promise<AckAlertsResult>;
  };
}

// Compile-time guard: the journal's rows are served as they are. If src/store changes a row
// shape, this fails to compile until the API schema (./schemas/journal-views.ts) follows.
export const storeRowsFitApi: [(r: OrderRow) => OrderView, (r: DecisionRow) => DecisionView] = [(r) => r, (r) => r];
