// The kernel's ports: what the trading node needs from a venue and from a journal, as narrow
// structural types. The OANDA client satisfies the venue port over REST (practice, live, or the
// simulator over HTTP); an in-process venue for replay satisfies it without HTTP. Streams are
// not here: they are the live node's (src/agent), replay drives prices itself.
// The names and types are the OANDA client's own, so no adapter has to translate.
import type { BrokerPort } from "../core/orders.ts";
import type { InstrumentSpec, Tick } from "../core/types.ts";
import type { GateJournal } from "../gate/ports.ts";
import type { AccountDetails, CandleBA, Transaction } from "../oanda/index.ts";

/** OANDA's factors to the home currency, by currency (GET /pricing?includeHomeConversions=true). */
export type HomeConversionFactors = Map<string, { positionValue?: number; accountLoss?: number; accountGain?: number }>;

/** The account as the venue reports it: summary, positions and open trades in one read. */
export interface AccountPort {
  accountDetails(signal?: AbortSignal): Promise<AccountDetails>;
  /**
   * The same read answered at once, offered by a venue with nothing to wait for (the in-process
   * simulator a replay reads after almost every tick): the account is then applied without a
   * round of promises. The OANDA client has none; its reads are awaited.
   */
  accountDetailsNow?(): AccountDetails;
}

/** Reference and market data the node reads at start and on timers. */
export interface VenueDataPort {
  instruments(names?: string[], signal?: AbortSignal): Promise<InstrumentSpec[]>;
  pricing(instruments: string[], signal?: AbortSignal): Promise<Tick[]>;
  candles(instrument: string, o?: { granularity?: string; count?: number; price?: string }, signal?: AbortSignal): Promise<CandleBA[]>;
  homeConversions(instruments: string[], signal?: AbortSignal): Promise<HomeConversionFactors>;
  /** The venue's transactions after `id` (the ledger's gap fill). */
  transactionsSinceId(id: string, signal?: AbortSignal): Promise<{ transactions: Transaction[]; lastTransactionID: string }>;
}

/** Everything the trading node asks of a venue: account, data, and the gate's broker port. */
export interface VenuePort extends AccountPort, VenueDataPort, BrokerPort {}

/** What the node writes orders and decisions to (src/store's journal satisfies it). */
export type JournalPort = GateJournal;
