// Which loss-cut rule the broker applies, read from its own figures. OANDA reports
// marginCloseoutPercent = k x marginUsed / NAV, closeout at 1: k = 1 at OANDA Japan
// (live readings 0.90854 = 53,043.4 / 58,383.1 and 0.9428 = 36,129.8 / 38,321.7), k = 1/2
// under the UK/global rule. Pure; AccountState keeps the verdicts over time.
import type { CloseoutRule } from "./closeout.ts";
import { closeoutRuleAssumption } from "./assumptions.ts";

export type CloseoutRuleSetting = CloseoutRule | "auto";

export interface CloseoutRuleEvidence {
  marginUsed: number;
  nav: number;
  marginCloseoutPercent: number;
  /** marginCloseoutPercent / (marginUsed / NAV): ~1 japan, ~0.5 half. */
  ratio: number;
  verdict: CloseoutRule;
}

/**
 * Below this usage the broker's percentage (5 decimals) and its closeout NAV (valued at
 * closeout prices, not mid) say too little to tell the rules apart.
 */
const MIN_USAGE_FOR_EVIDENCE = 0.005;

/** One snapshot's verdict, or undefined when it proves nothing. */
export function judgeCloseoutRule(s: { marginUsed: number; nav: number; marginCloseoutPercent: number }): CloseoutRuleEvidence | undefined {
  if (!(s.nav > 0) || !(s.marginUsed > 0) || !Number.isFinite(s.marginCloseoutPercent) || !(s.marginCloseoutPercent > 0)) return undefined;
  const usage = s.marginUsed / s.nav;
  if (usage < MIN_USAGE_FOR_EVIDENCE) return undefined;
  const ratio = s.marginCloseoutPercent / usage;
  const verdict: CloseoutRule | undefined = Math.abs(ratio - 1) <= 0.15 ? "japan" : Math.abs(ratio - 0.5) <= 0.1 ? "half" : undefined;
  return verdict ? { marginUsed: s.marginUsed, nav: s.nav, marginCloseoutPercent: s.marginCloseoutPercent, ratio, verdict } : undefined;
}

const JAPAN_SEEN = "auto: the broker closes out at marginUsed/NAV = 100%";

/** Snapshots in a row that must show the half rule before `auto` relaxes to it. */
export const HALF_CONFIRMATIONS = 3;

export interface CloseoutRuleState {
  setting: CloseoutRuleSetting;
  inForce: CloseoutRule;
  evidence?: CloseoutRuleEvidence & { at: number };
  note: string;
  /** Consecutive `half` verdicts (auto only). */
  halfStreak: number;
}

export function initialCloseoutRule(setting: CloseoutRuleSetting): CloseoutRuleState {
  return setting === "auto"
    ? { setting, inForce: "japan", halfStreak: 0, note: closeoutRuleAssumption(setting).why }
    : { setting, inForce: setting, halfStreak: 0, note: closeoutRuleAssumption(setting).why };
}

/**
 * The next state after one snapshot. Relaxing to `half` needs HALF_CONFIRMATIONS readings in a
 * row; one `japan` reading returns to it at once (the side that protects the account).
 */
export function observeCloseoutRule(state: CloseoutRuleState, snap: { marginUsed: number; nav: number; marginCloseoutPercent: number }, at: number): CloseoutRuleState {
  if (state.setting !== "auto") return state;
  const e = judgeCloseoutRule(snap);
  if (!e) return state;
  const halfStreak = e.verdict === "half" ? state.halfStreak + 1 : 0;
  const inForce: CloseoutRule = e.verdict === "japan" ? "japan" : halfStreak >= HALF_CONFIRMATIONS ? "half" : state.inForce;
  // The figures are in `evidence` (which /health and the console show beside the note); the
  // note says only what they mean, so the usual reading (japan again, on most snapshots) formats nothing.
  const note = inForce === "half"
    ? `auto: the broker closes out at half the margin (${halfStreak} readings in a row)`
    : e.verdict === "half"
      ? `auto: half rule seen ${halfStreak} of ${HALF_CONFIRMATIONS} times needed; assuming japan meanwhile`
      : JAPAN_SEEN;
  // The evidence written out, not spread: a snapshot on most replayed ticks, and a spread copy
  // is a runtime call in JSC (the binary).
  const evidence = { marginUsed: e.marginUsed, nav: e.nav, marginCloseoutPercent: e.marginCloseoutPercent, ratio: e.ratio, verdict: e.verdict, at };
  return { setting: "auto", inForce, halfStreak, evidence, note };
}
