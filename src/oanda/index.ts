// The OANDA v20 adapter: the client (the composition of its roles: config, data, execution,
// providers), the pricing and transaction streams.
export { OandaClient, oandaUrls, type OandaClientOptions, type OandaEnv, type OandaUrls } from "./client.ts";
export { ACCOUNT_CHANGING, candlesFromClient, type CandleBA } from "./data.ts";
export type { ClosePositionResult } from "./execution.ts";
export { toPositionSides, type AccountSummaryView, type AccountDetails, type OpenTrade } from "./providers.ts";
export { PricingStream, type PricingStreamOptions, type PricingStreamState } from "./pricing-stream.ts";
export { TransactionStream, type TransactionStreamOptions, type TransactionStreamState, type GapFill } from "./transaction-stream.ts";
export { ResilientStream, DEFAULT_HEARTBEAT_TIMEOUT_MS, type StreamState } from "./resilient-stream.ts";
export { OandaHttpError, OandaNetworkError, OandaResponseError } from "./errors.ts";
export { parseDecimal, parseOandaTime, DecimalError } from "./decimal.ts";
export { tickFromPrice } from "./tick.ts";
export type { Transaction } from "./schemas.ts";
