// The prices the simulator has published, per instrument, for candles. Held as three columns of
// 64-bit floats per instrument (time, bid, ask: 24 bytes a tick, where an object per tick took
// about 70 with its array slot), grown by doubling, so a paper agent that runs for days holds at
// most about 4.8 MB per instrument. Bounded: once an instrument holds more than MAX_TICKS, the
// oldest DROP_BLOCK ticks are dropped at once (cheap, and the same ticks as before are kept).
const MAX_TICKS = 200_000;
const DROP_BLOCK = 20_000;
const FIRST_CAPACITY = 1024;

/** One instrument's ticks, oldest first; views valid until the next record (read them at once). */
export interface TickSeries {
  readonly time: Float64Array;
  readonly bid: Float64Array;
  readonly ask: Float64Array;
}

interface Columns {
  time: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  length: number;
}

const EMPTY: TickSeries = { time: new Float64Array(0), bid: new Float64Array(0), ask: new Float64Array(0) };

export class TickHistory {
  readonly #ticks = new Map<string, Columns>();

  record(instrument: string, time: number, bid: number, ask: number): void {
    let c = this.#ticks.get(instrument);
    if (!c) this.#ticks.set(instrument, (c = columns(FIRST_CAPACITY)));
    if (c.length === c.time.length) grow(c);
    // Keep time order even if a caller supplies an older timestamp.
    const last = c.length > 0 ? c.time[c.length - 1]! : time;
    c.time[c.length] = time < last ? last : time;
    c.bid[c.length] = bid;
    c.ask[c.length] = ask;
    c.length++;
    if (c.length > MAX_TICKS) {
      for (const a of [c.time, c.bid, c.ask]) a.copyWithin(0, DROP_BLOCK, c.length);
      c.length -= DROP_BLOCK;
    }
  }

  ticks(instrument: string): TickSeries {
    const c = this.#ticks.get(instrument);
    if (!c) return EMPTY;
    return { time: c.time.subarray(0, c.length), bid: c.bid.subarray(0, c.length), ask: c.ask.subarray(0, c.length) };
  }
}

function columns(capacity: number): Columns {
  return { time: new Float64Array(capacity), bid: new Float64Array(capacity), ask: new Float64Array(capacity), length: 0 };
}

function grow(c: Columns): void {
  const next = columns(Math.min(c.time.length * 2, MAX_TICKS + 1));
  next.time.set(c.time);
  next.bid.set(c.bid);
  next.ask.set(c.ask);
  c.time = next.time;
  c.bid = next.bid;
  c.ask = next.ask;
}
