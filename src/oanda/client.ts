// The OANDA v20 client sekisho trades through (practice, live, or the simulator: only the URLs
// differ): the composition of the adapter's roles, as NautilusTrader splits a venue adapter —
// config (options, shared transport), data (prices, candles, transactions, streams), execution
// (orders, closes, lookups: the gate's BrokerPort) and providers (account, instruments, home
// conversions). The kernel's venue port is this class's method set.
import type { BrokerPort, MarketOrderRequest, OrderLookup, OrderOutcome } from "../core/orders.ts";
import type { InstrumentSpec, Tick } from "../core/types.ts";
import type { InstrumentTable } from "../core/instruments.ts";
import { oandaContext, type OandaClientOptions, type OandaContext } from "./config.ts";
import { type CandleBA, OandaData } from "./data.ts";
import { type ClosePositionResult, OandaExecution } from "./execution.ts";
import type { OandaHttp, OandaLimiter } from "./http.ts";
import { type AccountDetails, type HomeConversions, OandaProviders, type OpenTrade } from "./providers.ts";
import type { PricingStream, PricingStreamOptions } from "./pricing-stream.ts";
import type { Transaction } from "./schemas.ts";
import type { TransactionStream, TransactionStreamOptions } from "./transaction-stream.ts";

export type { OandaClientOptions } from "./config.ts";
export { oandaUrls, type OandaEnv, type OandaUrls } from "./urls.ts";

type Closes = { longUnits?: number | "ALL"; shortUnits?: number | "ALL"; longClientExtensions?: { id?: string; tag?: string; comment?: string }; shortClientExtensions?: { id?: string; tag?: string; comment?: string } };

export class OandaClient implements BrokerPort {
  readonly data: OandaData;
  readonly execution: OandaExecution;
  readonly providers: OandaProviders;
  readonly #ctx: OandaContext;

  constructor(o: OandaClientOptions) {
    this.#ctx = oandaContext(o);
    this.data = new OandaData(this.#ctx);
    this.providers = new OandaProviders(this.#ctx);
    this.execution = new OandaExecution(this.#ctx, (id, signal) => this.data.transactionsSinceId(id, signal));
  }

  get accountId(): string {
    return this.#ctx.options.accountId;
  }
  get http(): OandaHttp {
    return this.#ctx.http;
  }
  get limiter(): OandaLimiter {
    return this.#ctx.limiter;
  }
  get instrumentTable(): InstrumentTable {
    return this.#ctx.instrumentTable;
  }

  // providers
  accountDetails(signal?: AbortSignal): Promise<AccountDetails> {
    return this.providers.accountDetails(signal);
  }
  openTrades(signal?: AbortSignal): Promise<OpenTrade[]> {
    return this.providers.openTrades(signal);
  }
  instruments(names?: string[], signal?: AbortSignal): Promise<InstrumentSpec[]> {
    return this.providers.instruments(names, signal);
  }
  homeConversions(instruments: string[], signal?: AbortSignal): Promise<HomeConversions> {
    return this.providers.homeConversions(instruments, signal);
  }

  // data
  pricing(instruments: string[], signal?: AbortSignal): Promise<Tick[]> {
    return this.data.pricing(instruments, signal);
  }
  candles(instrument: string, o?: { granularity?: string; count?: number; price?: string }, signal?: AbortSignal): Promise<CandleBA[]> {
    return this.data.candles(instrument, o, signal);
  }
  transactionsSinceId(id: string, signal?: AbortSignal): Promise<{ transactions: Transaction[]; lastTransactionID: string }> {
    return this.data.transactionsSinceId(id, signal);
  }
  pricingStream(o: Omit<PricingStreamOptions, "streamUrl" | "token" | "accountId">): PricingStream {
    return this.data.pricingStream(o);
  }
  transactionStream(o: Omit<TransactionStreamOptions, "streamUrl" | "token" | "accountId" | "gapFill">): TransactionStream {
    return this.data.transactionStream(o);
  }

  // execution (BrokerPort)
  submitMarketOrder(req: MarketOrderRequest, signal?: AbortSignal): Promise<OrderOutcome> {
    return this.execution.submitMarketOrder(req, signal);
  }

  rehearseMarketOrder(req: MarketOrderRequest): number {
    return this.execution.rehearseMarketOrder(req);
  }

  lookupOrderByClientId(clientId: string, signal?: AbortSignal): Promise<OrderLookup> {
    return this.execution.lookupOrderByClientId(clientId, signal);
  }
  closeTrade(tradeId: string, units: number | "ALL", signal?: AbortSignal): Promise<OrderOutcome> {
    return this.execution.closeTrade(tradeId, units, signal);
  }
  closePosition(instrument: string, o: Closes, signal?: AbortSignal): Promise<ClosePositionResult> {
    return this.execution.closePosition(instrument, o, signal);
  }
  tradeCloseFills(tradeId: string, sinceTransactionID: string, signal?: AbortSignal): Promise<Extract<OrderOutcome, { kind: "filled" }>[]> {
    return this.execution.tradeCloseFills(tradeId, sinceTransactionID, signal);
  }
}
