// What fast_scalp needs to know about its tick window (count, first/last mids, high/low, the sum
// of tick-to-tick moves), kept up to date tick by tick instead of copied and rescanned on every
// tick: at 2,000 ticks/s a 20 s window is 20,000 ticks, and copying it per tick was most of the
// agent's CPU. High and low come from monotonic deques (exact). The sum of moves is a running
// float sum with a tracked error bound; a caller that needs the exact float a plain loop gives
// (fast_scalp's spike test near its threshold, and the numbers it reports) asks for it and gets
// that loop, so decisions are the same as scanning a copy would make (property-tested).
import type { EpochMs } from "../core/types.ts";
import { IndexDeque } from "./index-deque.ts";

/** The tick fields a window reads. */
export interface WindowTick {
  mid: number;
  receivedAt: EpochMs;
}

export interface WindowSummary {
  count: number;
  /** Mid of the oldest tick in the window (NaN when empty). */
  firstMid: number;
  /** Mid of the newest tick (NaN when empty). */
  lastMid: number;
  /** Mid of the tick before the newest (NaN with fewer than two). */
  prevMid: number;
  hiMid: number;
  loMid: number;
  /** An estimate of movesExceptLast() ... */
  movesEstimate: number;
  /** ... and a bound on |movesEstimate - movesExceptLast()|. */
  movesError: number;
  /** Sum of |mid[i] - mid[i-1]| over the window except its last move, oldest first (a plain loop's float). */
  movesExceptLast(): number;
}

const EPS = 2 ** -52;

/** The reference: a summary of a window given as an array of ticks, oldest first. */
export function summarizeTicks(w: readonly WindowTick[]): WindowSummary {
  const n = w.length;
  let hi = Number.NEGATIVE_INFINITY;
  let lo = Number.POSITIVE_INFINITY;
  for (const p of w) {
    if (p.mid > hi) hi = p.mid;
    if (p.mid < lo) lo = p.mid;
  }
  const exact = () => {
    let sum = 0;
    for (let i = 1; i < n - 1; i++) sum += Math.abs(w[i]!.mid - w[i - 1]!.mid);
    return sum;
  };
  const moves = exact();
  return {
    count: n, firstMid: n ? w[0]!.mid : Number.NaN, lastMid: n ? w[n - 1]!.mid : Number.NaN, prevMid: n > 1 ? w[n - 2]!.mid : Number.NaN,
    hiMid: hi, loMid: lo, movesEstimate: moves, movesError: 0, movesExceptLast: () => moves,
  };
}

/** The storage a sliding window reads: a TickRing's mids and receive times by absolute index. */
export interface TickStore {
  readonly mids: Float64Array;
  readonly received: Float64Array;
  /** Slot of absolute index i: i & mask. */
  readonly mask: number;
  /** Absolute index of the oldest live tick. */
  readonly head: number;
  /** Absolute index after the newest tick. */
  readonly end: number;
  /** Absolute index of the oldest tick whose columns are still stored (<= head). */
  readonly floor: number;
  /** Absolute index of the newest tick received earlier than the tick before it (-1: none). */
  readonly inversionAt: number;
}

/** Removals between two exact recomputations of the running sum (bounds its drift). */
const RESUM_EVERY = 1024;

/**
 * A window over a TickStore of the ticks received at or after a moving `since`, within the
 * store's live range. `since` is expected to grow; when it goes back (a wall clock stepped
 * back) or the window lost track (ticks overwritten in the ring unseen), it is rebuilt from the store.
 */
export class SlidingWindow {
  #start = 0;
  #end = 0;
  #since = Number.NEGATIVE_INFINITY;
  #sum = 0;
  #err = 0;
  #removals = 0;
  /** Indices whose mids decrease (front: the window's high) and increase (front: its low). */
  readonly #hi = new IndexDeque();
  readonly #lo = new IndexDeque();
  #fresh = true;

  constructor(private readonly s: TickStore & { firstReceivedSince(since: EpochMs): number }) {}

  #mid(abs: number, s: TickStore): number {
    return s.mids[abs & s.mask]!;
  }

  #rebuild(since: EpochMs): void {
    // Same start as MarketState.ticksSince.
    this.#start = this.#end = this.s.firstReceivedSince(since);
    this.#hi.clear();
    this.#lo.clear();
    this.#sum = this.#err = 0;
    this.#removals = 0;
    this.#fresh = false;
  }

  #push(abs: number, s: TickStore): void {
    const mid = this.#mid(abs, s);
    if (this.#end > this.#start) {
      const m = Math.abs(mid - this.#mid(abs - 1, s));
      this.#sum += m;
      this.#err += EPS * (Math.abs(this.#sum) + m);
    }
    const hi = this.#hi;
    while (hi.size > 0 && this.#mid(hi.back(), s) <= mid) hi.popBack();
    hi.push(abs);
    const lo = this.#lo;
    while (lo.size > 0 && this.#mid(lo.back(), s) >= mid) lo.popBack();
    lo.push(abs);
    this.#end = abs + 1;
  }

  #shift(s: TickStore): void {
    const a = this.#start;
    if (a + 1 < this.#end) {
      const m = Math.abs(this.#mid(a + 1, s) - this.#mid(a, s));
      this.#sum -= m;
      this.#err += EPS * (Math.abs(this.#sum) + m);
    }
    this.#start = a + 1;
    while (this.#hi.size > 0 && this.#hi.front() < this.#start) this.#hi.popFront();
    while (this.#lo.size > 0 && this.#lo.front() < this.#start) this.#lo.popFront();
    if (++this.#removals >= RESUM_EVERY) this.#resum(s);
  }

  /** The sum of all moves in the window by a plain loop; resets the drift. */
  #resum(s: TickStore): void {
    let sum = 0;
    for (let i = this.#start + 1; i < this.#end; i++) sum += Math.abs(this.#mid(i, s) - this.#mid(i - 1, s));
    this.#sum = sum;
    // The loop's own rounding, bounded.
    this.#err = EPS * (this.#end - this.#start) * sum;
    this.#removals = 0;
  }

  /**
   * The window of ticks received at or after `since`, or undefined when the store's receive
   * times are out of order inside its live range (then only a scan of a copy gives the answer
   * the rest of MarketState gives, and the caller does that).
   */
  summary(since: EpochMs): WindowSummary | undefined {
    const s = this.s;
    if (s.inversionAt >= s.head) return undefined;
    if (this.#fresh || since < this.#since || this.#end < s.head || this.#end > s.end || this.#start < s.floor) this.#rebuild(since);
    this.#since = since;
    for (let i = this.#end; i < s.end; i++) this.#push(i, s);
    while (this.#start < this.#end && (this.#start < s.head || s.received[this.#start & s.mask]! < since)) this.#shift(s);
    return this.#view(s);
  }

  #view(s: TickStore): WindowSummary {
    const n = this.#end - this.#start;
    const start = this.#start;
    const end = this.#end;
    const lastMid = n ? this.#mid(end - 1, s) : Number.NaN;
    const prevMid = n > 1 ? this.#mid(end - 2, s) : Number.NaN;
    const lastMove = n > 1 ? Math.abs(lastMid - prevMid) : 0;
    return {
      count: n,
      firstMid: n ? this.#mid(start, s) : Number.NaN,
      lastMid,
      prevMid,
      hiMid: n ? this.#mid(this.#hi.front(), s) : Number.NEGATIVE_INFINITY,
      loMid: n ? this.#mid(this.#lo.front(), s) : Number.POSITIVE_INFINITY,
      movesEstimate: n > 2 ? this.#sum - lastMove : 0,
      // The running sum's drift, the subtraction, and the reference loop's own rounding.
      movesError: n > 2 ? this.#err + EPS * (Math.abs(this.#sum) + lastMove) * (2 + n) : 0,
      movesExceptLast: () => {
        let sum = 0;
        for (let i = start + 1; i < end - 1; i++) sum += Math.abs(this.#mid(i, s) - this.#mid(i - 1, s));
        return sum;
      },
    };
  }
}
