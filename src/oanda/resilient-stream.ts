// The shared core of OANDA's two streams: connect, read NDJSON lines, watch for silence,
// reconnect. OANDA sends a heartbeat every 5 s on both streams, so silence past
// heartbeatTimeoutMs (default 15 s) means the connection is dead even if TCP has not noticed
// (a stalled proxy, a half-open socket): abort it and reconnect with full-jitter backoff.
// A line that cannot be understood is counted, logged once per kind, and skipped.
import type { Clock, EpochMs } from "../core/types.ts";
import { wallClock } from "../core/types.ts";
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/log.ts";
import { delay } from "../core/async/delay.ts";
import { fullJitterDelay, retryAfterMs } from "./backoff.ts";
import { describeCause } from "./errors.ts";
import { OandaLimiter } from "./http.ts";
import { NdjsonLineSplitter } from "./ndjson.ts";
import { type BodyChunks, bodyChunks } from "./body-reader.ts";
import { isLoopbackUrl } from "./rate-limit.ts";
import { errorMessage } from "../core/error-message.ts";

export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 15_000;
const DEFAULT_RECONNECT = { baseMs: 500, capMs: 30_000 } as const;

/** What /health and metrics read. Plain data, updated in place. */
export interface StreamState {
  connected: boolean;
  /** Connection attempts after the first (each drop, stall or failed connect counts once). */
  reconnects: number;
  lastHeartbeatAt?: EpochMs;
  /** Any line, heartbeat or not. */
  lastMessageAt?: EpochMs;
  malformedLines: number;
  /** Why the last connection ended or failed (no secrets: status codes and messages only). */
  lastError?: string;
  connectedSince?: EpochMs;
}

export interface StreamCommonOptions {
  streamUrl: string;
  token: string;
  accountId: string;
  fetch?: typeof fetch;
  log?: Logger;
  clock?: Clock;
  /** Shared with the REST client so reconnect storms stay under 2 new connections/s. */
  limiter?: OandaLimiter;
  /** Silence longer than this kills the connection (default 15000 = STREAM_HEARTBEAT_TIMEOUT_MS). */
  heartbeatTimeoutMs?: number;
  reconnect?: { baseMs?: number; capMs?: number };
  random?: () => number;
}

/** What a concrete stream tells the core about a line. */
export type LineKind = "heartbeat" | "message" | { malformed: string; detail?: string };

export interface StreamHooks {
  path: () => string;
  /** Each line of the body as text (the transaction stream). */
  handleLine?: (line: string, signal: AbortSignal) => LineKind | Promise<LineKind>;
  /**
   * Instead of handleLine, for a stream that frames and reads its own lines from the bytes (the
   * pricing stream's fast path): called once per connection for the function that takes that
   * body's chunks (undefined at its end). That function records heartbeats in `state`, reports
   * bad lines through malformed(), and returns how many lines the chunk completed.
   */
  readBody?: () => ChunkHandler;
  /** After the response headers arrive and before lines are read (gap fill). Throwing drops the connection. */
  onConnected?: (signal: AbortSignal) => Promise<void>;
}

export type ChunkHandler = (chunk: Uint8Array | undefined, receivedAt: EpochMs, signal: AbortSignal) => number | Promise<number>;

class StreamHttpStatus extends Error {
  constructor(readonly status: number, readonly retryAfter: number | undefined, body: string) {
    super(`HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`);
  }
}

export class ResilientStream {
  readonly state: StreamState = { connected: false, reconnects: 0, malformedLines: 0 };
  readonly #o: StreamCommonOptions;
  readonly #hooks: StreamHooks;
  readonly #name: string;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;
  readonly #limiter: OandaLimiter;
  readonly #loggedKinds = new Set<string>();
  #abort?: AbortController;
  #loop?: Promise<void>;

  constructor(name: string, o: StreamCommonOptions, hooks: StreamHooks) {
    this.#name = name;
    this.#o = o;
    this.#hooks = hooks;
    this.#log = o.log ?? silentLogger;
    this.#clock = o.clock ?? wallClock;
    this.#fetch = o.fetch ?? globalThis.fetch.bind(globalThis);
    this.#limiter = o.limiter ?? new OandaLimiter();
  }

  get heartbeatTimeoutMs(): number {
    return this.#o.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  }

  get running(): boolean {
    return this.#loop !== undefined;
  }

  start(): void {
    if (this.#loop) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#loop = this.#run(abort.signal).finally(() => {
      this.state.connected = false;
    });
  }

  /** Stop and wait until the connection, timers and pending sleeps are gone. */
  async stop(): Promise<void> {
    this.#abort?.abort(new Error(`${this.#name} stream stopped`));
    const loop = this.#loop;
    this.#loop = undefined;
    await loop;
  }

  /** Count and skip a bad line; log the first of each kind only (a flood must not flood the log). */
  malformed(kind: string, detail?: string): void {
    this.state.malformedLines++;
    if (this.#loggedKinds.has(kind)) return;
    this.#loggedKinds.add(kind);
    this.#log.warn({ event: "stream_malformed_line", stream: this.#name, kind, detail: detail?.slice(0, 200) }, "malformed stream line skipped (logged once per kind)");
  }

  async #run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    let first = true;
    while (!signal.aborted) {
      if (!first) this.state.reconnects++;
      first = false;
      let healthy = false;
      let retryAfter: number | undefined;
      try {
        healthy = await this.#connectOnce(signal);
        this.state.lastError = "stream ended by the server";
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof StreamHttpStatus) retryAfter = e.retryAfter;
        this.state.lastError = errorMessage(e);
        healthy = healthy || (e as { healthy?: boolean }).healthy === true;
      } finally {
        this.state.connected = false;
        this.state.connectedSince = undefined;
      }
      if (signal.aborted) break;
      // A connection that delivered lines was healthy: start the backoff over.
      attempt = healthy ? 0 : attempt + 1;
      const backoffMs = Math.max(fullJitterDelay(attempt, { baseMs: this.#o.reconnect?.baseMs ?? DEFAULT_RECONNECT.baseMs, capMs: this.#o.reconnect?.capMs ?? DEFAULT_RECONNECT.capMs, random: this.#o.random }), retryAfter ?? 0);
      this.#log.warn({ event: "stream_reconnect", stream: this.#name, reason: this.state.lastError, delayMs: backoffMs, reconnects: this.state.reconnects + 1 });
      await delay(backoffMs, signal).catch(() => undefined);
    }
  }

  /** One connection's life. Resolves when the server ends the body; throws on failure. Returns whether any line arrived. */
  async #connectOnce(outer: AbortSignal): Promise<boolean> {
    // A loopback server (the simulator in paper mode) is not OANDA: its connection limit does
    // not apply, and waiting for a token there only delays start-up.
    if (!isLoopbackUrl(this.#o.streamUrl)) await this.#limiter.connections.take(outer);
    const conn = new AbortController();
    const onOuter = () => conn.abort(outer.reason);
    outer.addEventListener("abort", onOuter, { once: true });
    // Silence watch without a timer per line: each chunk only records the time; one timer checks
    // at the deadline and, when data came meanwhile, sleeps again until the new deadline.
    const timeoutMs = this.heartbeatTimeoutMs;
    let lastData = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stalled = false;
    const watch = (delay: number) => {
      timer = setTimeout(() => {
        const quiet = performance.now() - lastData;
        if (quiet >= timeoutMs) {
          stalled = true;
          conn.abort(new Error("heartbeat timeout"));
        } else {
          watch(timeoutMs - quiet);
        }
      }, delay);
    };
    let gotLine = false;
    let reader: BodyChunks | undefined;
    // Aborting the fetch is not always enough: on Deno (2.9) a body read pending at that moment
    // can stay pending for ever, so stop() never returned (the agent ignored SIGTERM after a few
    // seconds of a busy stream). Cancelling the reader settles the read on every runtime.
    conn.signal.addEventListener("abort", () => void reader?.cancel(conn.signal.reason).catch(() => undefined), { once: true });
    try {
      watch(timeoutMs); // also bounds the wait for response headers
      const url = `${this.#o.streamUrl.replace(/\/+$/, "")}${this.#hooks.path()}`;
      const res = await this.#fetch(url, {
        headers: { Authorization: `Bearer ${this.#o.token}`, "Accept-Datetime-Format": "RFC3339" },
        signal: conn.signal,
      });
      if (!res.ok || !res.body) {
        const text = await res.text().catch(() => "");
        throw new StreamHttpStatus(res.status, res.status === 429 ? retryAfterMs(res.headers.get("Retry-After"), Date.now()) : undefined, text);
      }
      this.state.connected = true;
      this.state.connectedSince = this.#clock.now();
      this.#log.info({ event: "stream_connected", stream: this.#name, reconnects: this.state.reconnects });
      if (this.#hooks.onConnected) {
        await this.#hooks.onConnected(conn.signal);
        lastData = performance.now();
      }
      reader = bodyChunks(res.body);
      if (this.#hooks.readBody) {
        const handleChunk = this.#hooks.readBody();
        for (;;) {
          const r = await reader.read();
          if (conn.signal.aborted) throw conn.signal.reason;
          const at = this.#clock.now();
          lastData = performance.now();
          let n = handleChunk(r.done ? undefined : r.value, at, conn.signal);
          if (typeof n !== "number") n = await n;
          if (n > 0) {
            gotLine = true;
            this.state.lastMessageAt = at;
          }
          if (r.done) return gotLine;
        }
      }
      const splitter = new NdjsonLineSplitter();
      for (;;) {
        const r = await reader.read();
        // A cancelled reader reads as done: that is this side's abort, not the server's end.
        if (conn.signal.aborted) throw conn.signal.reason;
        const lines = r.done ? splitter.end() : splitter.push(r.value);
        lastData = performance.now();
        if (lines.length > 0) {
          gotLine = true;
          this.state.lastMessageAt = this.#clock.now();
          // Every line of a chunk in one synchronous pass; only a handler that returns a
          // promise (the transaction stream's gap fill) is awaited.
          for (const line of lines) {
            let kind: LineKind | Promise<LineKind>;
            try {
              kind = this.#hooks.handleLine!(line, conn.signal);
              if (typeof (kind as Promise<LineKind>).then === "function") kind = await kind;
            } catch (e) {
              if (conn.signal.aborted) throw e;
              // A handler bug is not a dead stream; count it like a bad line.
              kind = { malformed: "handler_error", detail: describeCause(e) };
            }
            const k = kind as LineKind;
            if (k === "heartbeat") this.state.lastHeartbeatAt = this.state.lastMessageAt;
            else if (k !== "message") this.malformed(k.malformed, k.detail ?? line);
          }
        }
        if (r.done) return gotLine;
      }
    } catch (e) {
      if (outer.aborted) throw e;
      const err = stalled ? new Error(`no data for ${this.heartbeatTimeoutMs} ms (heartbeat timeout)`) : e instanceof StreamHttpStatus ? e : new Error(describeCause(e));
      (err as { healthy?: boolean }).healthy = gotLine;
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      outer.removeEventListener("abort", onOuter);
      conn.abort(new Error("connection closed")); // releases the socket whatever happened
      if (reader) {
        await reader.cancel().catch(() => undefined);
        reader.releaseLock();
      }
    }
  }
}
