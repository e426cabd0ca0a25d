// Timestamps are ISO-8601 UTC strings with milliseconds: sortable as text, readable by people.
import type { Clock } from "../core/types.ts";

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoNow(clock: Clock): string {
  return isoAt(clock.now());
}

/** Normalise an ISO-8601 input (any offset) to the stored UTC form, or undefined if invalid. */
export function normaliseIso(s: string): string | undefined {
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? isoAt(ms) : undefined;
}
