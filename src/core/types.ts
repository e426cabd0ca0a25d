// The vocabulary every part of the pipeline shares. Pure data, no behaviour, no I/O.
// Units are always positive magnitudes plus a side; OANDA's signed units appear only at the
// broker adapter boundary (src/oanda), never past it.

/** Direction of an order or a position side. `buy` adds long units, `sell` adds short units. */
export type Side = "buy" | "sell";

/** Pockets partition sekisho's trades by purpose; `manual` holds trades sekisho did not open. */
export const POCKETS = ["macro", "micro", "scalp", "scalp_fast", "manual"] as const;
export type Pocket = (typeof POCKETS)[number];

export const TRADING_WORKERS = ["fast_scalp", "micro_multistrat", "hedge_balancer"] as const;
/** The workers that publish signals, plus the operator (signals through the HTTP API). */
export const WORKERS = [...TRADING_WORKERS, "operator"] as const;
export type WorkerName = (typeof WORKERS)[number];

/** Milliseconds since the Unix epoch, on the clock the component was given (wall or simulated). */
export type EpochMs = number;

/** A time source. Live code gets the wall clock; replay gets the data's clock. */
export interface Clock {
  now(): EpochMs;
}

export const wallClock: Clock = { now: () => Date.now() };

/** One top-of-book price as the agent received it. */
export interface Tick {
  instrument: string;
  bid: number;
  ask: number;
  /** The broker's timestamp for the price. */
  time: EpochMs;
  /** When the agent received it; price age is measured from here. */
  receivedAt: EpochMs;
  tradeable: boolean;
  /** performance.now() at receipt, where a stream stamps it: the monotonic, sub-millisecond start of tick-to-submit. */
  receivedMono?: number;
}

/** A worker's wish. Only the gate turns it into an order. */
export interface Signal {
  id: string;
  worker: WorkerName;
  strategy: string;
  pocket: Pocket;
  instrument: string;
  side: Side;
  /** 0..100; breaks ties between waiting signals of the same pocket priority. */
  confidence: number;
  /** Units the worker would like; the gate may size down, never up. */
  proposedUnits?: number;
  reduceOnly: boolean;
  /** For reduce-only signals: never reduce more than this many units. */
  reduceCap?: number;
  slPips?: number;
  tpPips?: number;
  /** Whether sl/tp go to the broker as dependent orders (never for reduce-only). */
  attachSlTp: boolean;
  createdAt: EpochMs;
  ttlMs: number;
  /** receivedMono of the tick that caused the signal (same process), for tick-to-submit latency. */
  tickReceivedMono?: number;
  /** receivedAt of the tick that caused the signal, for tick-to-submit latency. */
  tickReceivedAt?: EpochMs;
  meta?: Record<string, unknown>;
}

/** Static facts about an instrument (filled from a built-in table, refreshable from OANDA). */
export interface InstrumentSpec {
  name: string;
  base: string;
  quote: string;
  /** 10^pipLocation is one pip: -2 for USD_JPY, -4 for EUR_USD. */
  pipLocation: number;
  displayPrecision: number;
  /** Decimal places allowed in units; 0 means whole units. */
  tradeUnitsPrecision: number;
  minimumTradeSize: number;
  marginRate: number;
}

/** One instrument's open position as long and short magnitudes (a hedging account holds both). */
export interface PositionSides {
  instrument: string;
  long: number;
  short: number;
  avgLongPrice?: number;
  avgShortPrice?: number;
  unrealizedPL?: number;
  /** Margin the broker reports for this instrument, when it does. */
  marginUsed?: number;
}

/** What the broker says about the account, in the home currency. */
export interface AccountSnapshot {
  id: string;
  currency: string;
  balance: number;
  nav: number;
  unrealizedPL: number;
  marginUsed: number;
  marginAvailable: number;
  marginCloseoutPercent: number;
  hedgingEnabled: boolean;
  lastTransactionID: string;
  positions: PositionSides[];
  /** When the agent last refreshed it from the broker. */
  asOf: EpochMs;
}

export type MarginModel = "net" | "max_side";
export type MarginModelSetting = MarginModel | "auto";

export type RunMode = "paper" | "practice" | "live";
