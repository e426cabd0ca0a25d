// Polls the agent's state once a second for the conditions that have no event of their own:
// margin usage levels, streams down beyond their limit, replica lag. Reading in-memory state
// only, so it costs the agent nothing.
import type { AlertSink } from "./dispatcher.ts";
import { marginStep, replicaStep, streamStep, type StreamWatch } from "./conditions.ts";

export interface WatchedState {
  now(): number;
  /** marginUsed / NAV, undefined before the first account read. */
  marginUsage(): number | undefined;
  streams(): Array<{ name: string; connected: boolean }>;
  replica(): { enabled: boolean; rowsBehind: number; lastError?: string };
}

export interface WatchLimits {
  marginLevels: readonly number[];
  streamDownSec: number;
  replicaLagRows: number;
}

export function createAlertWatch(state: WatchedState, sink: AlertSink, limits: WatchLimits): () => void {
  let above = new Set<number>();
  const streams = new Map<string, StreamWatch>();
  let replicaAlerted = false;
  return () => {
    const usage = state.marginUsage();
    if (usage !== undefined) {
      const m = marginStep(above, usage, limits.marginLevels);
      above = m.above;
      for (const e of m.events) sink.notify(e);
    }
    const now = state.now();
    for (const s of state.streams()) {
      const r = streamStep(streams.get(s.name) ?? { alerted: false }, s.name, s.connected, now, limits.streamDownSec);
      streams.set(s.name, r.watch);
      for (const e of r.events) sink.notify(e);
    }
    const rep = state.replica();
    if (rep.enabled) {
      const r = replicaStep(replicaAlerted, rep.rowsBehind, limits.replicaLagRows, rep.lastError);
      replicaAlerted = r.alerted;
      for (const e of r.events) sink.notify(e);
    }
  };
}
