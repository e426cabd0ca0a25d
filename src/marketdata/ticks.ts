// What every replay reader produces: time-ordered top-of-book prices plus an honest account of
// what it could not use. Readers are pure functions of text, so tests feed them inline samples.

export interface ReplayTick {
  instrument: string;
  /** Epoch ms (UTC) on the data's clock. */
  time: number;
  bid: number;
  ask: number;
  /** The broker's tradeable flag where the source has one (the pricing stream); else true. */
  tradeable?: boolean;
}

export const REPLAY_FORMATS = ["truefx-csv", "lean-tick", "lean-quote-bar", "fxcm-bid-ask", "oanda-ndjson"] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

export interface TickSource {
  format: ReplayFormat;
  /** The ticks as objects; a source read into `columns` makes them on first use. */
  ticks: ReplayTick[];
  /** The same ticks as columns, where the reader kept them so (one instrument, no tradeable flag). */
  columns?: TickColumns;
  /** Data rows read (ticks, bars or stream lines), header lines not counted. */
  rows: number;
  /** Rows or ticks left out, by reason (crossed, unparseable, heartbeat, out_of_order, ...). */
  skipped: Record<string, number>;
  /** Bars read (bar formats only) and how many of them had a crossed price. */
  bars?: number;
  crossedBars?: number;
  /** The instrument named by the data itself (the pricing stream), if any. */
  instrument?: string;
}

/**
 * Ticks of one instrument as three columns, in file order: a month of bars is 115,000 ticks, and
 * as objects each was four allocations (the object and its three numbers) that the garbage
 * collector copied while the file was read. Tick i is `{ instrument, time[i], bid[i], ask[i] }`.
 */
export interface TickColumns {
  instrument: string;
  length: number;
  time: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
}

/** A column twice as long, holding what `a` holds: how a reader's columns grow. */
export function doubled(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/** Columns a reader fills one tick at a time. */
export class TickColumnsBuilder implements TickColumns {
  length = 0;
  time: Float64Array;
  bid: Float64Array;
  ask: Float64Array;

  constructor(readonly instrument: string, capacity: number) {
    const n = Math.max(16, capacity);
    this.time = new Float64Array(n);
    this.bid = new Float64Array(n);
    this.ask = new Float64Array(n);
  }

  push(time: number, bid: number, ask: number): void {
    if (this.length === this.time.length) this.#grow();
    const i = this.length++;
    this.time[i] = time;
    this.bid[i] = bid;
    this.ask[i] = ask;
  }

  #grow(): void {
    this.time = doubled(this.time);
    this.bid = doubled(this.bid);
    this.ask = doubled(this.ask);
  }

  /** keepMonotonic on the columns, in place: a tick earlier than the one kept before it is dropped and counted as out_of_order. */
  keepMonotonic(skipped: Record<string, number>): this {
    const { time, bid, ask } = this;
    let last = Number.NEGATIVE_INFINITY;
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const t = time[i]!;
      if (t < last) {
        bump(skipped, "out_of_order");
        continue;
      }
      last = t;
      time[kept] = t;
      bid[kept] = bid[i]!;
      ask[kept] = ask[i]!;
      kept++;
    }
    this.length = kept;
    return this;
  }
}

/** A source read into columns; its `ticks` are made from them when something asks for them. */
export function columnSource(fields: Omit<TickSource, "ticks" | "columns">, columns: TickColumns): TickSource {
  let ticks: ReplayTick[] | undefined;
  const source = { ...fields } as TickSource;
  // Not enumerable: the source compares and prints as it did with objects only.
  Object.defineProperty(source, "columns", { value: columns, enumerable: false });
  Object.defineProperty(source, "ticks", {
    enumerable: true,
    get: () => {
      if (!ticks) {
        const { instrument, time, bid, ask } = columns;
        ticks = new Array<ReplayTick>(columns.length);
        for (let i = 0; i < columns.length; i++) ticks[i] = { instrument, time: time[i]!, bid: bid[i]!, ask: ask[i]! };
      }
      return ticks;
    },
  });
  return source;
}

/** Thrown for input the replay cannot read; the CLI prints the message as one line (exit 2). */
export class ReplayInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplayInputError";
  }
}

export function bump(counts: Record<string, number>, reason: string, n = 1): void {
  counts[reason] = (counts[reason] ?? 0) + n;
}

/**
 * Drop ticks that would move the data's clock backwards (counted as out_of_order). Keeps the
 * order, and works in place: the array the reader built is the one returned, never a copy.
 */
export function keepMonotonic(ticks: ReplayTick[], skipped: Record<string, number>): ReplayTick[] {
  let last = Number.NEGATIVE_INFINITY;
  let kept = 0;
  for (const t of ticks) {
    if (t.time < last) {
      bump(skipped, "out_of_order");
      continue;
    }
    last = t.time;
    ticks[kept++] = t;
  }
  ticks.length = kept;
  return ticks;
}

export { parseTimestamp } from "./timestamp.ts";

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
