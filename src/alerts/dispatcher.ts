// The alert sink: other parts call `notify(event)`, which returns at once and never throws. The
// event is de-duplicated and rate-limited, queued (bounded), and sent by one background loop with
// a deadline per request, so a dead or hanging webhook never slows or stops trading: at worst
// the queue fills and the oldest alerts are dropped (counted, and said in the next message).
import { delay } from "../core/async/delay.ts";
import type { Logger } from "../core/log.ts";
import type { Clock } from "../core/types.ts";
import { type AlertEvent, type AlertKind, alertText, dedupKey, severityOf } from "./events.ts";
import type { AlertMessage, AlertTransport } from "./transports.ts";

/** What the rest of the agent sees. */
export interface AlertSink {
  notify(event: AlertEvent): void;
}

export interface DispatcherOptions {
  transports: AlertTransport[];
  clock: Clock;
  log: Logger;
  /** The same key within this window is sent once. */
  dedupMs: number;
  /** At most this many messages per minute (per transport they all go to). */
  perMinute: number;
  /** Deadline for one request. */
  timeoutMs: number;
  /** Kinds not to send (e.g. fills when ALERT_FILLS=0). */
  muted?: ReadonlySet<AlertKind>;
  /** Largest queue; beyond it the oldest waiting alerts are dropped. */
  queueLimit?: number;
  agentName?: string;
}

export interface DispatcherStats {
  sent: number;
  failed: number;
  deduplicated: number;
  rateLimited: number;
  dropped: number;
  queued: number;
}

export class AlertDispatcher implements AlertSink {
  readonly #o: DispatcherOptions;
  readonly #queue: AlertMessage[] = [];
  readonly #lastSent = new Map<string, number>();
  /** Send times in the last minute (sliding window). */
  readonly #window: number[] = [];
  readonly #stats: DispatcherStats = { sent: 0, failed: 0, deduplicated: 0, rateLimited: 0, dropped: 0, queued: 0 };
  #suppressed = 0;
  #running: Promise<void> | undefined;
  #closed = false;
  readonly #inflight = new Set<AbortController>();

  constructor(o: DispatcherOptions) {
    this.#o = o;
  }

  get enabled(): boolean {
    return this.#o.transports.length > 0;
  }

  stats(): DispatcherStats {
    return { ...this.#stats, queued: this.#queue.length };
  }

  notify(event: AlertEvent): void {
    try {
      if (this.#closed || !this.enabled || this.#o.muted?.has(event.kind)) return;
      const now = this.#o.clock.now();
      const key = dedupKey(event);
      const last = this.#lastSent.get(key);
      if (last !== undefined && now - last < this.#o.dedupMs) {
        this.#stats.deduplicated++;
        return;
      }
      while (this.#window.length > 0 && now - this.#window[0]! >= 60_000) this.#window.shift();
      // Critical alerts (kill switch, loss limit, stream down...) are never rate-limited away.
      const severity = severityOf(event);
      if (this.#window.length >= this.#o.perMinute && severity !== "critical") {
        this.#stats.rateLimited++;
        this.#suppressed++;
        return;
      }
      this.#lastSent.set(key, now);
      if (this.#lastSent.size > 5_000) this.#forgetOld(now);
      this.#window.push(now);
      let text = alertText(event, this.#o.agentName);
      if (this.#suppressed > 0) {
        text += `\n(${this.#suppressed} more alert${this.#suppressed === 1 ? "" : "s"} suppressed by the rate limit)`;
        this.#suppressed = 0;
      }
      this.#queue.push({ text, severity, kind: event.kind });
      const limit = this.#o.queueLimit ?? 100;
      while (this.#queue.length > limit) {
        this.#queue.shift();
        this.#stats.dropped++;
      }
      this.#stats.queued++;
      this.#kick();
    } catch (e) {
      this.#o.log.warn({ event: "alert_error", err: String(e) }, "alert could not be queued");
    }
  }

  /** Wait until the queue is sent (or `timeoutMs` passes), e.g. so the stop alert leaves before exit. */
  async flush(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.#queue.length > 0 || this.#running) && Date.now() < deadline) {
      await Promise.race([this.#running ?? Promise.resolve(), delay(Math.max(1, deadline - Date.now()))]);
    }
  }

  /** Stop sending: abort requests in flight and drop what waits. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    for (const c of this.#inflight) c.abort();
  }

  #forgetOld(now: number): void {
    for (const [k, t] of this.#lastSent) if (now - t >= this.#o.dedupMs) this.#lastSent.delete(k);
  }

  #kick(): void {
    if (this.#running) return;
    // A timer: the sending starts after the caller's turn, never inside the trading path.
    this.#running = delay(0).then(() => this.#drain()).finally(() => {
      this.#running = undefined;
      if (this.#queue.length > 0 && !this.#closed) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    for (let m = this.#queue.shift(); m; m = this.#queue.shift()) {
      // Every transport gets the message at the same time; a hanging one delays only the queue.
      await Promise.all(this.#o.transports.map((t) => this.#sendOne(t, m!)));
    }
  }

  async #sendOne(t: AlertTransport, m: AlertMessage): Promise<void> {
    const ctl = new AbortController();
    this.#inflight.add(ctl);
    const timer = setTimeout(() => ctl.abort(), this.#o.timeoutMs);
    try {
      await t.send(m, ctl.signal);
      this.#stats.sent++;
    } catch (e) {
      this.#stats.failed++;
      // The transports' errors name the transport and the status only, never a URL or token.
      this.#o.log.warn({ event: "alert_failed", transport: t.name, kind: m.kind, err: e instanceof Error ? e.message : "failed" }, "alert not delivered");
    } finally {
      clearTimeout(timer);
      this.#inflight.delete(ctl);
    }
  }
}
