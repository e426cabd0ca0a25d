// The ticks a replay plays: one instrument's, inside [from, to), as columns the run loop reads by
// index. A source read into columns (ticks.ts: one instrument, time-ordered) is used where it
// is, no copy made: its window is the one run of indices between the first tick at or after
// `from` and the first at or after `to`. Other sources (the pricing stream, TrueFX ticks) have
// their window's ticks copied into columns once, with their tradeable flags.
import type { ReplayTick, TickSource } from "../marketdata/ticks.ts";

export interface TickWindow extends Iterable<ReplayTick> {
  first: ReplayTick;
  last: ReplayTick;
  /** Ticks `start` to `end - 1` of these columns are the window's, in order. */
  time: ArrayLike<number>;
  bid: ArrayLike<number>;
  ask: ArrayLike<number>;
  /** The broker's tradeable flag per tick where the source has one; undefined for every tick otherwise. */
  tradeable: ArrayLike<boolean | undefined> | undefined;
  start: number;
  end: number;
}

/** The window, or undefined when it holds no tick; `skipped` gets other_instrument and outside_window. */
export function tickWindow(source: TickSource, instrument: string, from: number | undefined, to: number | undefined, skipped: Record<string, number>): TickWindow | undefined {
  const c = source.columns;
  if (c && c.instrument === instrument) {
    const { time, length } = c;
    // Times never decrease (the readers drop a tick that would go back), so the window is one run.
    let start = 0;
    if (from !== undefined) while (start < length && time[start]! < from) start++;
    let end = start;
    if (to === undefined) end = length;
    else while (end < length && time[end]! < to) end++;
    const outside = length - (end - start);
    if (outside > 0) skipped.outside_window = (skipped.outside_window ?? 0) + outside;
    if (start === end) return undefined;
    const at = (i: number): ReplayTick => ({ instrument, time: time[i]!, bid: c.bid[i]!, ask: c.ask[i]! });
    return columnsWindow({ first: at(start), last: at(end - 1), time, bid: c.bid, ask: c.ask, tradeable: undefined, start, end }, instrument);
  }
  const inWindow = (t: ReplayTick) => t.instrument === instrument && (from === undefined || t.time >= from) && (to === undefined || t.time < to);
  const kept: ReplayTick[] = [];
  for (const t of source.ticks) {
    if (inWindow(t)) kept.push(t);
    else {
      const why = t.instrument !== instrument ? "other_instrument" : "outside_window";
      skipped[why] = (skipped[why] ?? 0) + 1;
    }
  }
  if (kept.length === 0) return undefined;
  const n = kept.length;
  const time = new Float64Array(n);
  const bid = new Float64Array(n);
  const ask = new Float64Array(n);
  const flags = kept.some((t) => t.tradeable !== undefined) ? kept.map((t) => t.tradeable) : undefined;
  kept.forEach((t, i) => {
    time[i] = t.time;
    bid[i] = t.bid;
    ask[i] = t.ask;
  });
  return columnsWindow({ first: kept[0]!, last: kept[n - 1]!, time, bid, ask, tradeable: flags, start: 0, end: n }, instrument);
}

function columnsWindow(w: Omit<TickWindow, typeof Symbol.iterator>, instrument: string): TickWindow {
  return {
    ...w,
    *[Symbol.iterator]() {
      for (let i = w.start; i < w.end; i++) {
        const flag = w.tradeable?.[i];
        yield { instrument, time: w.time[i]!, bid: w.bid[i]!, ask: w.ask[i]!, ...(flag !== undefined ? { tradeable: flag } : {}) };
      }
    },
  };
}
