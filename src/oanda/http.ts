// The REST transport: Bearer auth, RFC 3339 times, a timeout on every request, a rate limiter
// under OANDA's limits, and retries with full-jitter backoff for idempotent reads only. Writes
// (order POST, position and trade close PUT) are sent exactly once: their caller decides what an
// unanswered write means. Reads go through fetch (keep-alive by default in Deno, Node/undici and
// Bun); writes through the runtime's keep-alive HTTP/1.1 client (src/runtime/http1.ts), which
// puts the request on the wire before send() first awaits: on Deno, fetch costs 100-200 µs more
// from the call to the request's arrival (docs/performance.md). Behind an HTTP(S)_PROXY, or with
// an injected fetch (tests), writes use fetch too.
import type { z } from "zod";
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/log.ts";
import { delay } from "../core/async/delay.ts";
import { fullJitterDelay, retryAfterMs } from "./backoff.ts";
import { OandaHttpError, OandaNetworkError, OandaResponseError, describeCause, isTimeout } from "./errors.ts";
import { isLoopbackUrl, OANDA_LIMITS, TokenBucket } from "./rate-limit.ts";
import { errorBody } from "./schemas.ts";
import { Http1Client } from "../runtime/http1.ts";
import { environment } from "../runtime/runtime.ts";

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
  /** How writes travel: "http1" (default unless a proxy is configured or `fetch` is given) or "fetch". */
  writes?: "http1" | "fetch";
}

/** A proxy setting fetch honours and the raw client does not. */
function proxyConfigured(): boolean {
  const env = environment();
  return ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"].some((k) => !!env[k]);
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
  /** Writes' client (undefined: writes use fetch). */
  readonly #writer: Http1Client | undefined;
  readonly #writeHeaders: Record<string, string>;
  /** The base URL's path ("" for an origin), before each write's path. */
  readonly #basePath: string;

  constructor(private readonly o: HttpOptions) {
    this.#fetch = o.fetch ?? globalThis.fetch.bind(globalThis);
    this.#log = o.log ?? silentLogger;
    this.#retry = { ...DEFAULT_RETRY, ...o.retry };
    this.limiter = o.limiter ?? new OandaLimiter();
    this.#loopback = isLoopbackUrl(o.baseUrl);
    const http1 = o.writes === "http1" || (o.writes === undefined && !o.fetch && !proxyConfigured());
    this.#writer = http1
      ? new Http1Client(new URL(o.baseUrl).origin, { beforeConnect: this.#loopback ? undefined : (signal) => this.limiter.connections.take(signal) })
      : undefined;
    this.#basePath = new URL(o.baseUrl).pathname.replace(/\/+$/, "");
    this.#writeHeaders = { Authorization: `Bearer ${o.token}`, "Accept-Datetime-Format": "RFC3339", Accept: "application/json", "Content-Type": "application/json" };
  }

  /** Whether writes use the HTTP/1.1 client (else fetch). */
  get writesOverHttp1(): boolean {
    return this.#writer !== undefined;
  }

  /** Open the writes' connection ahead of the first order (a no-op when writes use fetch). */
  warmWrites(): Promise<void> {
    return this.#writer?.warm() ?? Promise.resolve();
  }

  /** Connections the writes' client has opened (0 when writes use fetch). */
  get writeConnectionsOpened(): number {
    return this.#writer?.connectionsOpened ?? 0;
  }

  /** Close idle connections of the writes' client. */
  close(): void {
    this.#writer?.close();
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
    // No await when a token is there: a write then leaves in this turn of the event loop.
    if (!this.limiter.requests.takeNow()) await this.limiter.requests.take(opts.signal);
    if (this.#writer && method !== "GET") return this.#write(method, path, opts);
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
      const body = jsonBody(await res.text()); // read fully so the connection returns to the pool
      this.#log.debug({ event: "oanda_http", method, path, status: res.status, ms: Math.round(performance.now() - started) });
      // Reads come regularly (the account refresh): each makes sure the writes' connection is open,
      // so an order does not wait for TCP and TLS set-up, as it did not when reads and writes
      // shared fetch's pool. A no-op while one is open; a server's idle close is repaired here.
      if (this.#writer && res.status < 500) void this.#writer.warm();
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
   * A write's request built as send() would build it, and neither sent nor counted: what a
   * rehearsal of an order runs (src/gate/rehearsal.ts). Returns the bytes it would write (the body's
   * length where writes use fetch, whose request cannot be built without sending it).
   */
  rehearseWrite(method: string, path: string, body: unknown): number {
    const json = JSON.stringify(body);
    return this.#writer ? this.#writer.rehearse(method, `${this.#basePath}${path}`, this.#writeHeaders, json) : json.length;
  }

  /** One write over the HTTP/1.1 client: the request is written before the first await. */
  async #write(method: string, path: string, opts: { query?: Record<string, string | number | undefined>; body?: unknown; signal?: AbortSignal }): Promise<RawResponse> {
    const started = performance.now();
    const query = opts.query ? new URLSearchParams(Object.entries(opts.query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString() : "";
    this.requestsSent++;
    try {
      const res = await this.#writer!.request(method, `${this.#basePath}${path}${query ? `?${query}` : ""}`, this.#writeHeaders, opts.body === undefined ? undefined : JSON.stringify(opts.body), { signal: opts.signal, timeoutMs: this.o.timeoutMs });
      const body = jsonBody(res.body);
      this.#log.debug({ event: "oanda_http", method, path, status: res.status, ms: Math.round(performance.now() - started) });
      return { status: res.status, body, headers: res.headers };
    } catch (e) {
      // The caller's abort is the caller's; the client's own timeout is a network failure.
      if (opts.signal?.aborted && e === opts.signal.reason) throw e;
      const timedOut = isTimeout(e);
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

/** A response body as JSON; a body that is not JSON becomes an errorMessage naming it. */
function jsonBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { errorMessage: `non-JSON body: ${text.slice(0, 200)}` };
  }
}

function httpError(method: string, path: string, res: RawResponse): OandaHttpError {
  const b = errorBody.safeParse(res.body);
  return new OandaHttpError(method, path, res.status, res.body, b.success ? b.data.errorCode : undefined, b.success ? b.data.errorMessage : undefined);
}
