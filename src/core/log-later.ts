// Log lines held back until the order they are about has left. On the way from a tick to an
// order's POST every step runs in one turn of the event loop (the journal's write is synchronous
// and the POST is written before the first real wait, src/runtime/http1.ts); formatting and
// writing one pino line there costs 100-160 µs on Deno when it happens a few times a second, and
// deferring it with a timer costs ~50 µs of its own (docs/performance.md). So a worker's line
// about a signal is queued here, and the gate writes the queue once it has decided on the signal
// (after the order's answer), or the publisher when the bus refuses the signal. A line's `time`
// is when it is written: after the decision, at most the order's round trip later.
import type { Logger } from "./log.ts";

const pending: Array<() => void> = [];
/** A bound, should nobody write the queue (a signal dropped stale while waiting in the bus). */
const MAX_PENDING = 64;

export function logLater(log: Logger | undefined, level: "info" | "warn", obj: Record<string, unknown>, msg?: string): void {
  if (!log?.isLevelEnabled(level)) return;
  pending.push(() => log[level](obj, msg));
  if (pending.length > MAX_PENDING) writeLaterLogs();
}

/** Write the held lines, oldest first. */
export function writeLaterLogs(): void {
  for (const write of pending.splice(0)) {
    try {
      write();
    } catch {
      // a log line never stops the caller
    }
  }
}
