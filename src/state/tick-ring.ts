// An instrument's recent ticks as columns of typed arrays in a ring, instead of an array of one
// object per tick. At 2,000 ticks/s the market keeps up to 20,000 ticks (10 s); kept as objects,
// every one of them lived long enough to be copied by the young GC and promoted, then died in the
// old generation, and the heap paid for it in runs of full GCs of 3-35 ms on the event loop. The
// columns live outside the JavaScript heap (typed arrays' backing stores), so a tick kept here is
// nothing the GC ever visits.
//
// Ticks are named by an absolute index (how many were pushed before it); slot = index & mask.
// `head` is the oldest live tick (pruning moves it), `end` the next index, and `floor` the oldest
// index whose columns are still stored (a pruned tick stays readable until its slot is reused,
// which lets a sliding window drop it from its sums).
import type { EpochMs } from "../core/types.ts";

/** One tick as the window keeps it. */
export interface TickPoint {
  bid: number;
  ask: number;
  mid: number;
  spreadPips: number;
  /** Broker timestamp. */
  time: EpochMs;
  /** Agent receive time (clock time); windows and ages are measured on this. */
  receivedAt: EpochMs;
  tradeable: boolean;
  /** The tick's monotonic receive stamp, where the stream gave one (tick-to-submit latency). */
  receivedMono?: number;
}

const FIRST_CAPACITY = 256;

export class TickRing {
  time = new Float64Array(FIRST_CAPACITY);
  received = new Float64Array(FIRST_CAPACITY);
  bid = new Float64Array(FIRST_CAPACITY);
  ask = new Float64Array(FIRST_CAPACITY);
  mids = new Float64Array(FIRST_CAPACITY);
  spreadPips = new Float64Array(FIRST_CAPACITY);
  /** NaN: the stream gave no monotonic stamp. */
  mono = new Float64Array(FIRST_CAPACITY);
  tradeable = new Uint8Array(FIRST_CAPACITY);
  mask = FIRST_CAPACITY - 1;
  head = 0;
  end = 0;
  floor = 0;
  /** Absolute index of the newest tick received before the tick preceding it (-1: none). */
  inversionAt = -1;

  get size(): number {
    return this.end - this.head;
  }

  push(p: TickPoint): void {
    if (this.end - this.floor > this.mask) {
      // Every slot holds a readable tick: reuse the oldest one's when it is no longer live, else grow.
      if (this.head > this.floor) this.floor++;
      else this.#grow();
    }
    const i = this.end & this.mask;
    if (this.end > this.head && p.receivedAt < this.received[(this.end - 1) & this.mask]!) this.inversionAt = this.end;
    this.time[i] = p.time;
    this.received[i] = p.receivedAt;
    this.bid[i] = p.bid;
    this.ask[i] = p.ask;
    this.mids[i] = p.mid;
    this.spreadPips[i] = p.spreadPips;
    this.mono[i] = p.receivedMono ?? Number.NaN;
    this.tradeable[i] = p.tradeable ? 1 : 0;
    this.end++;
  }

  /**
   * Drop the oldest live ticks while they were received before `cutoff` or there are more than
   * `maxTicks`; stops at the first tick that is neither (as the array version did).
   */
  prune(cutoff: EpochMs, maxTicks: number): void {
    while (this.head < this.end && (this.received[this.head & this.mask]! < cutoff || this.end - this.head > maxTicks)) this.head++;
  }

  /** Index of the first live tick received at or after `since`, by binary search (receive times are non-decreasing in practice). */
  firstReceivedSince(since: EpochMs): number {
    let lo = this.head;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.received[mid & this.mask]! < since) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The tick at an absolute index (a new object; the index must be readable). */
  point(abs: number): TickPoint {
    const i = abs & this.mask;
    const mono = this.mono[i]!;
    return {
      bid: this.bid[i]!, ask: this.ask[i]!, mid: this.mids[i]!, spreadPips: this.spreadPips[i]!,
      time: this.time[i]!, receivedAt: this.received[i]!, tradeable: this.tradeable[i] === 1, receivedMono: Number.isNaN(mono) ? undefined : mono,
    };
  }

  /** Twice the slots; every readable tick keeps its index. */
  #grow(): void {
    const cap = (this.mask + 1) * 2;
    const mask = cap - 1;
    const move = <A extends Float64Array | Uint8Array>(old: A, fresh: A): A => {
      for (let a = this.floor; a < this.end; a++) fresh[a & mask] = old[a & this.mask]!;
      return fresh;
    };
    this.time = move(this.time, new Float64Array(cap));
    this.received = move(this.received, new Float64Array(cap));
    this.bid = move(this.bid, new Float64Array(cap));
    this.ask = move(this.ask, new Float64Array(cap));
    this.mids = move(this.mids, new Float64Array(cap));
    this.spreadPips = move(this.spreadPips, new Float64Array(cap));
    this.mono = move(this.mono, new Float64Array(cap));
    this.tradeable = move(this.tradeable, new Uint8Array(cap));
    this.mask = mask;
  }
}
