// Backoff for retries and reconnects: exponential with full jitter (AWS architecture blog,
// "Exponential Backoff and Jitter"): delay = random(0, min(cap, base * 2^attempt)). Full jitter
// spreads reconnecting clients out, so a broker blip is not followed by a thundering herd.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Source of randomness in [0,1); injectable for deterministic tests. */
  random?: () => number;
}

export function fullJitterDelay(attempt: number, o: BackoffOptions): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.floor((o.random ?? Math.random)() * ceiling);
}

/**
 * Retry-After as milliseconds: delta-seconds ("2", "0.5") or an HTTP date. Undefined when absent
 * or unreadable. Clamped to [0, maxMs] so a hostile header cannot park the client for hours.
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number, maxMs = 60_000): number | undefined {
  if (!header) return undefined;
  const h = header.trim();
  let ms: number | undefined;
  if (/^\d+(?:\.\d+)?$/.test(h)) ms = Number(h) * 1000;
  else {
    const t = Date.parse(h);
    if (Number.isFinite(t)) ms = t - nowMs;
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  return Math.max(0, Math.min(maxMs, Math.ceil(ms)));
}
