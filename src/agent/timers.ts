// The live node's timers: each one is stopped with the agent (pushed onto its stoppers).
import type { MetricsRegistry } from "../metrics/registry.ts";

export type Stoppers = Array<() => Promise<void> | void>;

export function every(ms: number, fn: () => void, stoppers: Stoppers): void {
  const t = setInterval(fn, ms);
  stoppers.push(() => clearInterval(t));
}

/** Count reconnects and malformed lines as deltas of the streams' own counters. */
export function trackStreamMetrics(stream: { state: { reconnects: number; malformedLines: number } }, name: "pricing" | "transactions", metrics: MetricsRegistry, stoppers: Stoppers): void {
  let reconnects = 0;
  let malformed = 0;
  every(1000, () => {
    for (; reconnects < stream.state.reconnects; reconnects++) metrics.streamReconnect(name);
    for (; malformed < stream.state.malformedLines; malformed++) metrics.malformedLine(name);
  }, stoppers);
}
