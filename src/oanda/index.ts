// The OANDA v20 adapter: REST client (BrokerPort), pricing and transaction streams.
export { OandaClient, oandaUrls, toPositionSides, type OandaClientOptions, type AccountSummaryView, type AccountDetails, type OpenTrade, type CandleBA, type ClosePositionResult, type OandaEnv, type OandaUrls } from "./client.ts";
export { PricingStream, type PricingStreamOptions, type PricingStreamState } from "./pricing-stream.ts";
export { TransactionStream, type TransactionStreamOptions, type TransactionStreamState, type GapFill } from "./transaction-stream.ts";
export { ResilientStream, DEFAULT_HEARTBEAT_TIMEOUT_MS, type StreamState } from "./resilient-stream.ts";
export { OandaHttpError, OandaNetworkError, OandaResponseError } from "./errors.ts";
export { parseDecimal, parseOandaTime, DecimalError } from "./decimal.ts";
export { tickFromPrice } from "./tick.ts";
export type { Transaction } from "./schemas.ts";
