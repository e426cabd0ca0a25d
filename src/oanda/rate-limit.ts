// Token buckets that keep sekisho under OANDA's published limits: at most 100 requests per
// second on a connection and at most 2 new connections per second. Waiting callers queue in
// order (FIFO), so an order POST is not starved by a burst of reads.
import { delay } from "../core/async/delay.ts";

export interface BucketOptions {
  /** Tokens added per second. */
  ratePerSec: number;
  /** Most tokens held at once (the permitted burst). */
  burst: number;
  now?: () => number;
}

export class TokenBucket {
  #tokens: number;
  #last: number;
  #queue: Promise<void> = Promise.resolve();
  /** Callers waiting in take() (a token taken now would jump their queue). */
  #waiting = 0;
  readonly #now: () => number;

  constructor(private readonly o: BucketOptions) {
    if (!(o.ratePerSec > 0) || !(o.burst >= 1)) throw new Error("token bucket needs ratePerSec > 0 and burst >= 1");
    this.#now = o.now ?? (() => performance.now());
    this.#tokens = o.burst;
    this.#last = this.#now();
  }

  #refill(): void {
    const t = this.#now();
    this.#tokens = Math.min(this.o.burst, this.#tokens + ((t - this.#last) / 1000) * this.o.ratePerSec);
    this.#last = t;
  }

  /** Take one token without waiting; false when none is available. */
  tryTake(): boolean {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }

  /**
   * Take one token now if nobody is waiting and one is available: the caller goes on without an
   * await (an order POST is written in the same turn). False: use take().
   */
  takeNow(): boolean {
    return this.#waiting === 0 && this.tryTake();
  }

  /** Wait (in arrival order) until a token is available, then take it. */
  take(signal?: AbortSignal): Promise<void> {
    this.#waiting++;
    const run = this.#queue.then(async () => {
      for (;;) {
        if (signal?.aborted) throw signal.reason ?? new Error("aborted");
        if (this.tryTake()) return;
        const waitMs = Math.ceil(((1 - this.#tokens) / this.o.ratePerSec) * 1000);
        await delay(Math.max(1, waitMs), signal);
      }
    });
    // The queue continues even if this waiter aborts.
    this.#queue = run.catch(() => undefined).finally(() => {
      this.#waiting--;
    });
    return run;
  }
}

/** OANDA: "at most 100 requests per second" (we stay below it) and "2 new connections per second". */
export const OANDA_LIMITS = { requestsPerSec: 90, requestBurst: 20, connectionsPerSec: 2, connectionBurst: 2 } as const;

/**
 * Whether a URL points at this machine (127.0.0.0/8, ::1, localhost). OANDA's limits protect
 * OANDA's servers; a loopback server is the simulator (paper mode, tests, a rehearsal), where
 * waiting for connection tokens would only slow start-up. Requests per second stay limited.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
