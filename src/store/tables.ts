// Typed tables of the journal, as stored (snake_case columns). Timestamps are ISO-8601 UTC
// strings (they sort as text); numbers are REAL or INTEGER; booleans are 0/1; JSON is TEXT.
import type { Generated } from "kysely";
import type { OrderStatus } from "../core/orders.ts";

export interface OrdersTable {
  id: Generated<number>;
  client_id: string;
  signal_id: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: "buy" | "sell";
  requested_units: number;
  filled_units: number | null;
  reduce_only: number;
  position_fill: string;
  price_bound: number | null;
  tp_price: number | null;
  sl_price: number | null;
  status: OrderStatus;
  oanda_order_id: string | null;
  oanda_trade_id: string | null;
  oanda_transaction_id: string | null;
  fill_price: number | null;
  cancel_reason: string | null;
  reject_reason: string | null;
  error_code: string | null;
  error: string | null;
  note: string | null;
  request_json: string | null;
  response_json: string | null;
  intent_at: string;
  submitted_at: string | null;
  unknown_at: string | null;
  filled_at: string | null;
  cancelled_at: string | null;
  rejected_at: string | null;
  reconciled_at: string | null;
  updated_at: string;
  /** The OANDA account and run mode the order was for (migration 003; NULL on older rows of unknown origin). */
  account_id: string | null;
  mode: string | null;
}

export interface DecisionsTable {
  id: Generated<number>;
  ts: string;
  signal_id: string;
  worker: string;
  strategy: string;
  pocket: string;
  instrument: string;
  side: "buy" | "sell";
  outcome: "accepted" | "skipped" | "error";
  reason: string | null;
  units: number | null;
  detail_json: string | null;
  client_id: string | null;
  account_id: string | null;
  mode: string | null;
}

export interface MetricsTable {
  id: Generated<number>;
  ts: string;
  name: string;
  value: number;
  tags_json: string | null;
  account_id: string | null;
  mode: string | null;
}

export interface AccountSnapshotsTable {
  id: Generated<number>;
  ts: string;
  account_id: string;
  currency: string;
  balance: number;
  nav: number;
  unrealized_pl: number;
  margin_used: number;
  margin_available: number;
  margin_closeout_percent: number;
  hedging_enabled: number;
  last_transaction_id: string;
  positions_json: string;
  mode: string | null;
}

export interface ControlActionsTable {
  id: Generated<number>;
  ts: string;
  action: string;
  actor: string;
  detail_json: string | null;
  account_id: string | null;
  mode: string | null;
}

/** One OANDA transaction of the account, stored once by its (account-wide, increasing) id. */
export interface TransactionsTable {
  /** OANDA's transaction id. */
  id: number;
  account_id: string;
  type: string;
  /** As OANDA sent it (RFC 3339 with nanoseconds, or UNIX seconds when asked for). */
  time: string;
  instrument: string | null;
  units: number | null;
  price: number | null;
  order_id: string | null;
  /** ORDER_FILL/ORDER_CANCEL clientOrderID, or the order's own clientExtensions.id. */
  client_order_id: string | null;
  batch_id: string | null;
  reason: string | null;
  pl: number | null;
  financing: number | null;
  commission: number | null;
  account_balance: number | null;
  raw_json: string;
  received_at: string;
}

/** How far the ledger is complete: every transaction up to last_transaction_id is stored. */
export interface LedgerCursorTable {
  account_id: string;
  last_transaction_id: number;
  updated_at: string;
}

/**
 * Every account this journal has traded, with its run mode (paper, practice, live): how the
 * transactions of an account are told apart by mode, and how one Turso database holds many agents.
 */
export interface JournalAccountsTable {
  id: Generated<number>;
  account_id: string;
  mode: string;
  first_seen_at: string;
  last_seen_at: string;
}

/** One row, overwritten to prove the journal takes writes (start-up and /health); not replicated. */
export interface JournalProbeTable {
  id: number;
  written_at: string;
}

/** One row: the journal's identity, drawn at migration 005 (its key in a shared Turso replica); not replicated as a table. */
export interface JournalIdentityTable {
  id: number;
  journal_id: string;
  created_at: string;
}

/** One row per journal row that changed, holding the sequence number of its latest change. */
export interface ChangesTable {
  seq: number;
  tbl: string;
  row_id: number;
}

/** A single-row counter that hands out change sequence numbers (never reused). */
export interface ChangeCounterTable {
  id: number;
  seq: number;
}

/** Guard state that survives restarts (e.g. the NAV high-water mark), one JSON value per key. */
export interface GuardStateTable {
  key: string;
  value_json: string;
  updated_at: string;
}

export interface JournalDB {
  orders: OrdersTable;
  decisions: DecisionsTable;
  metrics: MetricsTable;
  account_snapshots: AccountSnapshotsTable;
  control_actions: ControlActionsTable;
  transactions: TransactionsTable;
  ledger_cursor: LedgerCursorTable;
  journal_accounts: JournalAccountsTable;
  journal_probe: JournalProbeTable;
  changes: ChangesTable;
  change_counter: ChangeCounterTable;
  guard_state: GuardStateTable;
  journal_identity: JournalIdentityTable;
}

/** The tables copied to the Turso replica, under the same names and columns. */
export const REPLICATED_TABLES = ["orders", "decisions", "metrics", "account_snapshots", "control_actions", "transactions", "journal_accounts"] as const;
export type ReplicatedTable = (typeof REPLICATED_TABLES)[number];
