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
  ticks: ReplayTick[];
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
