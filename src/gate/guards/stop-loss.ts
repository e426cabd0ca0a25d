// Protective stops (issue 12), pure. Every entry carries a stop loss on fill unless
// REQUIRE_STOP_LOSS=0; the stop lies within [MIN_SL_PIPS, MAX_SL_PIPS]. A stop closer than the
// floor is widened (stops under ~1.5 pips were hit by the spread and noise again and again), one
// farther than the ceiling is tightened, and an entry that names none gets the ceiling. The
// decision records what was asked and what was sent.

export interface StopSettings {
  require: boolean;
  minPips: number;
  maxPips: number;
}

export interface StopDecision {
  /** Pips to attach, or undefined for no stop. */
  pips?: number;
  requestedPips: number | null;
  adjusted: "widened" | "tightened" | "defaulted" | null;
}

export function protectiveStop(requestedPips: number | undefined, attachRequested: boolean, s: StopSettings): StopDecision {
  const asked = attachRequested && requestedPips !== undefined && requestedPips > 0 ? requestedPips : undefined;
  if (asked === undefined) {
    if (!s.require) return { requestedPips: null, adjusted: null };
    return { pips: s.maxPips, requestedPips: null, adjusted: "defaulted" };
  }
  const floor = Math.min(s.minPips, s.maxPips);
  if (asked < floor) return { pips: floor, requestedPips: asked, adjusted: "widened" };
  if (asked > s.maxPips) return { pips: s.maxPips, requestedPips: asked, adjusted: "tightened" };
  return { pips: asked, requestedPips: asked, adjusted: null };
}
