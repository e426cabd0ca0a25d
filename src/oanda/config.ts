// The adapter's configuration role: the client's options (hosts, credentials, timeout, retry
// policy, limits) and the context the data, execution and providers roles share, resolved once
// (one HTTP transport, one limiter, one clock, one instrument table per client). The hosts of
// each OANDA environment are in urls.ts, OANDA's published limits in rate-limit.ts.
import type { Clock } from "../core/types.ts";
import { wallClock } from "../core/types.ts";
import { InstrumentTable } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/log.ts";
import { OandaHttp, OandaLimiter, type RetryPolicy } from "./http.ts";

export interface OandaClientOptions {
  restUrl: string;
  streamUrl: string;
  token: string;
  accountId: string;
  /** Per-request timeout for REST calls (default 10000 = OANDA_REQUEST_TIMEOUT_MS). */
  timeoutMs?: number;
  log?: Logger;
  fetch?: typeof fetch;
  /** Clock for receivedAt/asOf stamps (default: wall clock). */
  clock?: Clock;
  /** Instrument facts for price/unit precision; instruments() refreshes it. */
  instruments?: InstrumentTable;
  retry?: Partial<RetryPolicy>;
  /** Randomness for backoff jitter (tests). */
  random?: () => number;
  /** Request and connection limits (default: under OANDA's published limits). */
  limiter?: OandaLimiter;
  /** How order writes travel (src/oanda/http.ts): the HTTP/1.1 client by default, or fetch. */
  writes?: "http1" | "fetch";
}

/** What every role of one client shares. */
export interface OandaContext {
  readonly options: OandaClientOptions;
  readonly http: OandaHttp;
  readonly limiter: OandaLimiter;
  readonly instrumentTable: InstrumentTable;
  readonly log: Logger;
  readonly clock: Clock;
  /** `/v3/accounts/{accountId}`, path-encoded. */
  readonly accountPath: string;
}

/** Check the options and build the shared context; a missing credential is a clear error. */
export function oandaContext(o: OandaClientOptions): OandaContext {
  if (!o.token) throw new Error("OandaClient needs a token (OANDA_TOKEN)");
  if (!o.accountId) throw new Error("OandaClient needs an account id (OANDA_ACCOUNT_ID)");
  const log = o.log ?? silentLogger;
  const limiter = o.limiter ?? new OandaLimiter();
  return {
    options: o,
    log,
    clock: o.clock ?? wallClock,
    limiter,
    instrumentTable: o.instruments ?? new InstrumentTable(),
    http: new OandaHttp({ baseUrl: o.restUrl.replace(/\/+$/, ""), token: o.token, timeoutMs: o.timeoutMs ?? 10_000, log, fetch: o.fetch, retry: o.retry, limiter, random: o.random, writes: o.writes }),
    accountPath: `/v3/accounts/${encodeURIComponent(o.accountId)}`,
  };
}
