// The ticks a replay plays: one instrument's, inside [from, to), read from the source where they
// are. No filtered copy of the source is made (a month is ~115,000 ticks; a copy per run and per
// broker model was memory for nothing): one pass counts what is left out and finds the first and
// last tick, and iterating walks the source again with the same test.
import type { ReplayTick, TickSource } from "../marketdata/ticks.ts";

export interface TickWindow extends Iterable<ReplayTick> {
  first: ReplayTick;
  last: ReplayTick;
  /** The source's ticks, and whether one is in the window: a loop over both is the iteration without a generator's step per tick. */
  all: readonly ReplayTick[];
  includes(t: ReplayTick): boolean;
}

/** The window, or undefined when it holds no tick; `skipped` gets other_instrument and outside_window. */
export function tickWindow(source: TickSource, instrument: string, from: number | undefined, to: number | undefined, skipped: Record<string, number>): TickWindow | undefined {
  const inWindow = (t: ReplayTick) => t.instrument === instrument && (from === undefined || t.time >= from) && (to === undefined || t.time < to);
  let first: ReplayTick | undefined;
  let last: ReplayTick | undefined;
  for (const t of source.ticks) {
    if (inWindow(t)) {
      first ??= t;
      last = t;
    } else {
      const why = t.instrument !== instrument ? "other_instrument" : "outside_window";
      skipped[why] = (skipped[why] ?? 0) + 1;
    }
  }
  if (!first || !last) return undefined;
  return {
    first, last, all: source.ticks, includes: inWindow,
    *[Symbol.iterator]() {
      for (const t of source.ticks) if (inWindow(t)) yield t;
    },
  };
}
