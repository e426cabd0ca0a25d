// The closeout guard: near the broker's loss-cut, entries stop and exposure comes off until the
// distance is back. The decision is a pure function of the account's closeout figures; the
// small holder below only remembers whether the guard is engaged (hysteresis) and when it
// changed, so the gate, the hedge balancer, /health and the metrics all see one state.
import type { AccountCloseout } from "../../margin/closeout.ts";

export interface CloseoutGuardSettings {
  /** CLOSEOUT_GUARD_PIPS: engage below this distance to the loss-cut (0 turns the distance test off). */
  guardPips: number;
  /** CLOSEOUT_GUARD_USAGE: ...or at this usage under the rule (marginCloseoutPercent; closeout at 1). */
  guardUsage: number;
  /** CLOSEOUT_GUARD_TARGET_PIPS: once engaged, stay engaged until the distance is back to this. */
  targetPips: number;
}

export function closeoutGuardSettings(c: { CLOSEOUT_GUARD_PIPS: number; CLOSEOUT_GUARD_USAGE: number; CLOSEOUT_GUARD_TARGET_PIPS: number }): CloseoutGuardSettings {
  return { guardPips: c.CLOSEOUT_GUARD_PIPS, guardUsage: c.CLOSEOUT_GUARD_USAGE, targetPips: Math.max(c.CLOSEOUT_GUARD_TARGET_PIPS, c.CLOSEOUT_GUARD_PIPS) };
}

export type CloseoutGuardReason = "distance" | "usage";

export interface CloseoutGuardVerdict {
  engaged: boolean;
  /** Why it is engaged (null when it is not). */
  reason: CloseoutGuardReason | null;
  distancePips: number | null;
  usage: number;
  instrument: string | null;
  direction: "up" | "down" | null;
}

/**
 * Engage when the nearest loss-cut is closer than guardPips or usage under the rule reaches
 * guardUsage. Once engaged, release only when the distance is at least targetPips (or no move
 * reaches the loss-cut) and usage is below guardUsage: a guard that released at the first pip of
 * relief would flap on every tick.
 */
export function evaluateCloseoutGuard(c: AccountCloseout, s: CloseoutGuardSettings, engagedBefore: boolean): CloseoutGuardVerdict {
  const d = c.pips;
  const usageHigh = c.usage >= s.guardUsage;
  const threshold = engagedBefore ? s.targetPips : s.guardPips;
  const near = d !== null && threshold > 0 && d < threshold;
  const reason: CloseoutGuardReason | null = near ? "distance" : usageHigh ? "usage" : null;
  // Written out, not spread from a shared part: this runs after every account read (each tick
  // of a replayed month), and an object spread costs several times a literal.
  return { engaged: reason !== null, reason, distancePips: d, usage: c.usage, instrument: c.instrument, direction: c.direction };
}

export interface GuardAlert {
  /** Engaged now and was not before (or the reverse). */
  change: "engaged" | "released";
  verdict: CloseoutGuardVerdict;
}

/** Remembers the engaged state between evaluations; reports each change once. */
export class CloseoutGuard {
  #verdict: CloseoutGuardVerdict | undefined;
  /** The engaged state #verdict was evaluated from. */
  #evaluatedBefore = false;
  #since: number | undefined;

  constructor(
    private readonly settings: CloseoutGuardSettings,
    private readonly onChange?: (a: GuardAlert) => void,
  ) {}

  /** Evaluate on fresh figures (undefined: no account yet, the state is kept). */
  update(c: AccountCloseout | undefined, now: number): CloseoutGuardVerdict | undefined {
    if (!c) return this.#verdict;
    const before = this.#verdict?.engaged ?? false;
    // The same figures and the same engaged state as the last evaluation give the same verdict
    // (a pure function of them and the settings, fixed here) and no change: keep it. After each
    // account read the observer and then the hedge balancer update with the same figures. The
    // engaged state is part of it: just after a change the same figures can give another reason.
    const last = this.#verdict;
    if (last && this.#evaluatedBefore === before && Object.is(last.distancePips, c.pips) && Object.is(last.usage, c.usage) && last.instrument === c.instrument && last.direction === c.direction) return last;
    const v = evaluateCloseoutGuard(c, this.settings, before);
    this.#verdict = v;
    this.#evaluatedBefore = before;
    if (v.engaged !== before) {
      this.#since = now;
      this.onChange?.({ change: v.engaged ? "engaged" : "released", verdict: v });
    }
    return v;
  }

  /**
   * The verdict update() would give on these figures, neither kept nor reported: the engaged state,
   * its time and the alerts move only with update() (a rehearsal peeks, src/gate/rehearsal.ts).
   */
  peek(c: AccountCloseout | undefined): CloseoutGuardVerdict | undefined {
    return c ? evaluateCloseoutGuard(c, this.settings, this.engaged) : this.#verdict;
  }

  get verdict(): CloseoutGuardVerdict | undefined {
    return this.#verdict;
  }

  get engaged(): boolean {
    return this.#verdict?.engaged ?? false;
  }

  /** When the guard last engaged or released. */
  get since(): number | undefined {
    return this.#since;
  }

  get config(): CloseoutGuardSettings {
    return this.settings;
  }
}

/**
 * The gate's step: re-evaluate on the account's current figures and name the skip for an entry
 * while the guard is engaged. Reduce-only orders are never stopped here: they are how the
 * distance comes back. `peek`: judge without changing the guard (a rehearsal).
 */
export function closeoutGuardSkip(guard: CloseoutGuard, c: AccountCloseout | undefined, now: number, peek = false): { reason: "closeout_guard"; detail: Record<string, unknown> } | undefined {
  const v = peek ? guard.peek(c) : guard.update(c, now);
  if (!v?.engaged) return undefined;
  return {
    reason: "closeout_guard",
    detail: { guard: v.reason, distancePips: v.distancePips, usage: v.usage, instrument: v.instrument, guardPips: guard.config.guardPips, guardUsage: guard.config.guardUsage, targetPips: guard.config.targetPips },
  };
}
