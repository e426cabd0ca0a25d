// The vocabulary of trades and P/L, derived from the broker's ledger (OANDA transactions) and the
// order journal. Amounts are in the account's home currency, as OANDA reports them.

/** How a trade ended. */
export const CLOSE_REASONS = ["take_profit", "stop_loss", "margin_closeout", "reduce_only", "flatten", "balancer", "manual", "other"] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** A transaction as OANDA sends it (fields by type; ids and numbers may be strings or numbers). */
export interface OandaTransaction {
  id: string | number;
  type: string;
  time: string;
  [field: string]: unknown;
}

/** Where an order came from, from the order journal: how a trade gets its pocket and strategy. */
export interface OrderOrigin {
  clientId: string;
  signalId: string;
  worker: string;
  strategy: string;
  pocket: string;
  reduceOnly: boolean;
  positionFill: string;
  /** The broker's order id, when the journal has it (trade closes carry no client id). */
  oandaOrderId?: string | null;
}

export interface Trade {
  /** OANDA's trade id. */
  id: string;
  instrument: string;
  /** buy = long, sell = short. */
  side: "buy" | "sell";
  /** Units opened (magnitude); null when the trade was opened before the first transaction read. */
  units: number | null;
  /** Units still open (magnitude). */
  openUnits: number;
  openTime: string | null;
  openPrice: number | null;
  openTransactionId: string | null;
  /** The client id of the order that opened it (sekisho's journal row), if any. */
  openClientId: string | null;
  pocket: string;
  strategy: string;
  worker: string | null;
  state: "open" | "closed";
  closeTime: string | null;
  /** Average price of every reduction and the final close. */
  closePrice: number | null;
  closedUnits: number;
  closeReason: CloseReason | null;
  /** OANDA's reason of each fill that reduced or closed it, first seen first (MARKET_ORDER, TAKE_PROFIT_ORDER, ...). */
  closedBy: string[];
  closeTransactionId: string | null;
  closeClientId: string | null;
  realizedPL: number;
  financing: number;
  /** realizedPL + financing. */
  netPL: number;
}

/** One movement of money: a close or reduction (realized P/L), or financing. */
export interface PnlEvent {
  transactionId: string;
  time: string;
  /** null for amounts the broker did not attribute to a trade (account-level financing, fees). */
  tradeId: string | null;
  instrument: string | null;
  pocket: string;
  strategy: string;
  realized: number;
  financing: number;
  /** Commission and guaranteed-execution fees (reduce the balance). */
  fees: number;
}

export interface Ledger {
  trades: Trade[];
  events: PnlEvent[];
  /** Money in or out that is not P/L (TRANSFER_FUNDS). */
  transfers: number;
  /** The account balance after the last transaction that reported one. */
  lastBalance: number | null;
}
