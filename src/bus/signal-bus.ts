// The signal bus: in-process, typed, bounded, with a time-to-live. Workers publish (never
// blocking); the gate is the only consumer, so two signals can never spend the same margin
// headroom. Typed: what is published is a Signal already (workers build them; operator input is
// validated once where it enters, at the HTTP route), so nothing is validated again here. Nor
// de-duplicated: the one duplicate check is the gate's, against the journal (src/gate/gate.ts),
// which also holds across restarts.
import type { Clock, Pocket, Signal } from "../core/types.ts";

/** Lower is served first. Hedges (macro) lighten risk, so they go ahead of new entries. */
const POCKET_PRIORITY: Record<Pocket, number> = { macro: 0, manual: 1, micro: 2, scalp: 3, scalp_fast: 4 };

export type DropReason = "signal_stale" | "overflow" | "closed";

export interface BusCounters {
  published: number;
  delivered: number;
  dropped: Record<DropReason, number>;
}

export interface PublishResult {
  accepted: boolean;
  reason?: DropReason;
}

export interface SignalBusOptions {
  capacity: number;
  clock: Clock;
  /** `queued`: the signal had been accepted and waited in the queue (its publisher was told yes). */
  onDrop?: (signal: Signal, reason: DropReason, queued: boolean) => void;
}

/** Waiting order: reduce-only first, then pocket priority, then confidence, then age. */
function compareSignals(a: Signal, b: Signal): number {
  if (a.reduceOnly !== b.reduceOnly) return a.reduceOnly ? -1 : 1;
  const p = POCKET_PRIORITY[a.pocket] - POCKET_PRIORITY[b.pocket];
  if (p !== 0) return p;
  if (a.confidence !== b.confidence) return b.confidence - a.confidence;
  return a.createdAt - b.createdAt;
}

export class SignalBus {
  readonly #opts: SignalBusOptions;
  #queue: Signal[] = [];
  #waiter: ((s: Signal | undefined) => void) | undefined;
  #closed = false;
  readonly counters: BusCounters = {
    published: 0,
    delivered: 0,
    dropped: { signal_stale: 0, overflow: 0, closed: 0 },
  };

  constructor(opts: SignalBusOptions) {
    this.#opts = opts;
  }

  get size(): number {
    return this.#queue.length;
  }

  /**
   * True while the consumer (the gate) waits for a signal and none is queued: it is deciding
   * nothing, and no signal was handed to it since it began to wait.
   */
  get consumerWaiting(): boolean {
    return this.#waiter !== undefined;
  }

  /** Enqueue. Never blocks and never throws: a refused signal is counted. */
  publish(s: Signal): PublishResult {
    if (this.#closed) return this.#drop(s, "closed", false);
    if (this.#isStale(s)) return this.#drop(s, "signal_stale", false);
    this.counters.published++;
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = undefined;
      this.counters.delivered++;
      w(s);
      return { accepted: true };
    }
    this.#queue.push(s);
    this.#queue.sort(compareSignals);
    if (this.#queue.length > this.#opts.capacity) {
      const evicted = this.#queue.pop()!; // the least urgent waiting signal makes room
      this.#drop(evicted, "overflow", evicted !== s);
      if (evicted === s) return { accepted: false, reason: "overflow" };
    }
    return { accepted: true };
  }

  /** The next live signal, waiting if none; undefined once closed. Stale ones are dropped here. */
  next(): Promise<Signal | undefined> {
    const s = this.tryNext();
    if (s || this.#closed) return Promise.resolve(s);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** The next live signal if one is waiting (replay drives the bus synchronously with this). */
  tryNext(): Signal | undefined {
    while (this.#queue.length > 0) {
      const s = this.#queue.shift()!;
      if (this.#isStale(s)) {
        this.#drop(s, "signal_stale", true);
        continue;
      }
      this.counters.delivered++;
      return s;
    }
    return undefined;
  }

  close(): void {
    this.#closed = true;
    for (const s of this.#queue) this.#drop(s, "closed", true);
    this.#queue = [];
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(undefined);
  }

  #isStale(s: Signal): boolean {
    return this.#opts.clock.now() - s.createdAt > s.ttlMs;
  }

  #drop(signal: Signal, reason: DropReason, queued: boolean): PublishResult {
    this.counters.dropped[reason]++;
    this.#opts.onDrop?.(signal, reason, queued);
    return { accepted: false, reason };
  }
}
