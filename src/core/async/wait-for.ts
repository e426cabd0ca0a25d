// Polling for a condition (issue 13): the agent waits for its streams to connect, and tests wait
// for a fill or a reconnect, each with its own deadline loop. One loop, so every caller checks
// the same way: at once, then after each pause of `intervalMs`, until the deadline has passed.
import { delay } from "./delay.ts";

export interface WaitForOptions {
  /** How long to keep asking, in milliseconds. */
  timeoutMs: number;
  /** Pause between two checks (default 25 ms). */
  intervalMs?: number;
}

/**
 * Poll `cond` (sync or async) until it holds or `timeoutMs` passes; true when it held. Never
 * throws on timeout (callers that must fail say so themselves); an error thrown by `cond` is
 * passed on.
 */
export async function waitFor(cond: () => boolean | Promise<boolean>, opts: WaitForOptions): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 25;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() >= deadline) return false;
    await delay(interval);
  }
}
