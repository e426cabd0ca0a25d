// Conditions watched by polling the agent's state once a second: margin usage crossing the
// configured levels, a stream down beyond its limit, the replica falling behind. Each is a pure
// step function (state in, state and events out) so it is tested without an agent.
import type { AlertEvent } from "./events.ts";

/** Usage must fall this far below a level before it counts as back down (no flapping). */
const MARGIN_HYSTERESIS = 0.02;

/** The levels margin usage is at or above now, and the crossings since the last step. */
export function marginStep(above: ReadonlySet<number>, usage: number, levels: readonly number[], hysteresis = MARGIN_HYSTERESIS): { above: Set<number>; events: AlertEvent[] } {
  const next = new Set(above);
  const events: AlertEvent[] = [];
  if (!Number.isFinite(usage)) return { above: next, events };
  // Highest level first, so the message of a jump names the highest level crossed first.
  for (const level of [...levels].sort((a, b) => b - a)) {
    if (!next.has(level) && usage >= level) {
      next.add(level);
      events.push({ kind: "margin_usage", level, usage, direction: "up" });
    } else if (next.has(level) && usage < level - hysteresis) {
      next.delete(level);
      events.push({ kind: "margin_usage", level, usage, direction: "down" });
    }
  }
  return { above: next, events };
}

export interface StreamWatch {
  /** When the stream was first seen disconnected (epoch ms), undefined while connected. */
  downSince?: number;
  alerted: boolean;
}

export function streamStep(w: StreamWatch, stream: string, connected: boolean, now: number, limitSec: number): { watch: StreamWatch; events: AlertEvent[] } {
  if (connected) {
    const events: AlertEvent[] = w.alerted && w.downSince !== undefined ? [{ kind: "stream_up", stream, downSec: (now - w.downSince) / 1000 }] : [];
    return { watch: { alerted: false }, events };
  }
  const downSince = w.downSince ?? now;
  const downSec = (now - downSince) / 1000;
  if (!w.alerted && downSec >= limitSec) return { watch: { downSince, alerted: true }, events: [{ kind: "stream_down", stream, downSec, limitSec }] };
  return { watch: { downSince, alerted: w.alerted }, events: [] };
}

/** Alert once when the replica is more than `limitRows` behind; again "caught up" below half of it. */
export function replicaStep(alerted: boolean, rows: number, limitRows: number, lastError?: string | null): { alerted: boolean; events: AlertEvent[] } {
  if (!alerted && rows > limitRows) return { alerted: true, events: [{ kind: "replica_lag", rows, limitRows, lastError: lastError ?? null }] };
  if (alerted && rows <= limitRows / 2) return { alerted: false, events: [{ kind: "replica_caught_up", rows }] };
  return { alerted, events: [] };
}
