// The REST transport: one fetch (keep-alive by default in Deno, Node/undici and Bun), Bearer
// auth, RFC 3339 times, a timeout on every request, a rate limiter under OANDA's limits, and
// retries with full-jitter backoff for idempotent reads only. Writes (order POST, position
// close PUT) are sent exactly once: their caller decides what an unanswered write means.
import type { z } from "zod";
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/log.ts";
import { delay } from "../core/async/delay.ts";
import { fullJitterDelay, retryAfterMs } from "./backoff.ts";
import { OandaHttpError, OandaNetworkError, OandaResponseError, describeCause, isTimeout } from "./errors.ts";
import { isLoopbackUrl, OANDA_LIMITS, TokenBucket } from "./rate-limit.ts";
import { errorBody } from "./schemas.ts";

export interface RetryPolicy {
  /** Extra attempts after the first (reads only). */
  maxRetries: number;
  baseMs: number;
  capMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseMs: 200, capMs: 5_000 };

/** Limits shared by a client and the streams it opens. */
export class OandaLimiter {
  readonly requests: TokenBucket;
  readonly connections: TokenBucket;
  constructor(now?: () => number) {
    this.requests = new TokenBucket({ ratePerSec: OANDA_LIMITS.requestsPerSec, burst: OANDA_LIMITS.requestBurst, now });
    this.connections = new TokenBucket({ ratePerSec: OANDA_LIMITS.connectionsPerSec, burst: OANDA_LIMITS.connectionBurst, now });
  }

  /**
   * No practical limit, for talking to the in-process simulator (replay), where OANDA's limits
   * do not apply and real-time token buckets would stretch simulated time into wall time.
   */
  static unlimited(): OandaLimiter {
    const l = new OandaLimiter();
    const open = { ratePerSec: 1e12, burst: 1e12 };
    Object.assign(l, { requests: new TokenBucket(open), connections: new TokenBucket(open) });
    return l;
  }
}

export interface HttpOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  log?: Logger;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  limiter?: OandaLimiter;
  random?: () => number;
}

export interface RawResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export class OandaHttp {
  readonly #fetch: typeof fetch;
  readonly #log: Logger;
  readonly #retry: RetryPolicy;
  readonly limiter: OandaLimiter;
  /** True until the first request, and after a network failure (the pooled connection is likely gone). */
  #needsConnection = true;
  /** Requests sent (every attempt), for metrics and tests. */
  requestsSent = 0;
  /** A loopback server (the simulator) is not held to OANDA's new-connection limit. */
  readonly #loopback: boolean;

  constructor(private readonly o: HttpOptions) {
    this.#fetch = o.fetch ?? globalThis.fetch.bind(globalThis);
    this.#log = o.log ?? silentLogger;
    this.#retry = { ...DEFAULT_RETRY, ...o.retry };
    this.limiter = o.limiter ?? new OandaLimiter();
    this.#loopback = isLoopbackUrl(o.baseUrl);
  }

  headers(json: boolean): Headers {
    const h = new Headers({ Authorization: `Bearer ${this.o.token}`, "Accept-Datetime-Format": "RFC3339", Accept: "application/json" });
    if (json) h.set("Content-Type", "application/json");
    return h;
  }

  url(path: string, query?: Record<string, string | number | undefined>): string {
    const u = new URL(`${this.o.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /**
   * One attempt. Returns any HTTP answer (2xx or not) with its JSON body; throws
   * OandaNetworkError when there is no answer (timeout, refused, reset) and rethrows a caller abort.
   */
  async send(method: string, path: string, opts: { query?: Record<string, string | number | undefined>; body?: unknown; signal?: AbortSignal } = {}): Promise<RawResponse> {
    await this.limiter.requests.take(opts.signal);
    if (this.#needsConnection && !this.#loopback) {
      // fetch exposes no connection events, so a new connection is assumed on the first request
      // and after a network failure; those wait for a connection token (2/s).
      await this.limiter.connections.take(opts.signal);
      this.#needsConnection = false;
    }
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const started = performance.now();
    this.requestsSent++;
    try {
      const res = await this.#fetch(this.url(path, opts.query), {
        method,
        headers: this.headers(opts.body !== undefined),
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal,
      });
      const text = await res.text(); // read fully so the connection returns to the pool
      let body: unknown = undefined;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          body = { errorMessage: `non-JSON body: ${text.slice(0, 200)}` };
        }
      }
      this.#log.debug({ event: "oanda_http", method, path, status: res.status, ms: Math.round(performance.now() - started) });
      return { status: res.status, body, headers: res.headers };
    } catch (e) {
      if (opts.signal?.aborted && !timeout.aborted) throw opts.signal.reason ?? e;
      this.#needsConnection = true;
      const timedOut = timeout.aborted || isTimeout(e);
      this.#log.warn({ event: "oanda_http_failed", method, path, timedOut, err: describeCause(e), ms: Math.round(performance.now() - started) });
      throw new OandaNetworkError(method, path, timedOut, e);
    }
  }

  /**
   * An idempotent GET, validated with `schema`. Network errors, timeouts, 5xx and 429 are
   * retried with full-jitter backoff (429 waits at least Retry-After); other statuses throw
   * OandaHttpError at once.
   */
  async read<S extends z.ZodType>(path: string, schema: S, opts: { query?: Record<string, string | number | undefined>; signal?: AbortSignal } = {}): Promise<z.output<S>> {
    for (let attempt = 0; ; attempt++) {
      let res: RawResponse;
      try {
        res = await this.send("GET", path, opts);
      } catch (e) {
        if (!(e instanceof OandaNetworkError) || attempt >= this.#retry.maxRetries) throw e;
        await this.#wait(attempt, undefined, opts.signal, path, e.message);
        continue;
      }
      if (res.status >= 200 && res.status < 300) return this.parse("GET", path, schema, res.body);
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= this.#retry.maxRetries) throw httpError("GET", path, res);
      await this.#wait(attempt, res.status === 429 ? retryAfterMs(res.headers.get("Retry-After"), Date.now()) : undefined, opts.signal, path, `HTTP ${res.status}`);
    }
  }

  parse<S extends z.ZodType>(method: string, path: string, schema: S, body: unknown): z.output<S> {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new OandaResponseError(method, path, issues);
  }

  async #wait(attempt: number, atLeastMs: number | undefined, signal: AbortSignal | undefined, path: string, why: string): Promise<void> {
    const jitter = fullJitterDelay(attempt, { baseMs: this.#retry.baseMs, capMs: this.#retry.capMs, random: this.o.random });
    const ms = Math.max(jitter, atLeastMs ?? 0);
    this.#log.info({ event: "oanda_retry", path, attempt: attempt + 1, delayMs: ms, why });
    await delay(ms, signal);
  }
}

function httpError(method: string, path: string, res: RawResponse): OandaHttpError {
  const b = errorBody.safeParse(res.body);
  return new OandaHttpError(method, path, res.status, res.body, b.success ? b.data.errorCode : undefined, b.success ? b.data.errorMessage : undefined);
}
