// A small USD/JPY tick series the scorecard tests build themselves: one tick a second on a
// weekday, legs that move 0.3 pip a tick (fast_scalp's momentum fires and its TP or SL is hit)
// between quiet stretches, a 0.5 pip spread that widens every 7th tick (so spread costs differ
// per fill).
import type { ReplayTick, TickSource } from "../../src/marketdata/ticks.ts";

export const T0 = Date.UTC(2024, 2, 5, 10, 0, 0); // Tuesday 10:00 UTC

/** legs: pip move per tick for each 60-tick leg. */
export function buildTicks(legs: readonly number[], start = T0, mid0 = 150): ReplayTick[] {
  const out: ReplayTick[] = [];
  let mid = mid0;
  let i = 0;
  for (const step of legs) {
    for (let k = 0; k < 60; k++, i++) {
      mid += step * 0.01;
      const half = i % 7 === 0 ? 0.004 : 0.0025;
      out.push({ instrument: "USD_JPY", time: start + i * 1000, bid: round3(mid - half), ask: round3(mid + half) });
    }
  }
  return out;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function source(ticks: ReplayTick[]): TickSource {
  return { format: "truefx-csv", ticks, rows: ticks.length, skipped: {} };
}

export const LEGS = [0.3, 0, -0.3, 0.05, 0.3, -0.05, -0.3, 0, 0.3, 0.3, -0.3, 0];
