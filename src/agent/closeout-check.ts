// The `closeout` check of /health: the loss-cut rule in force, the evidence for it, and the
// closeout guard's verdict (updated from the latest account figures on every report).
import type { HealthReport } from "../http/deps.ts";
import type { Agent } from "./agent.ts";
import { round } from "../core/round.ts";

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function closeoutCheck(agent: Agent, now: number): HealthReport["checks"]["closeout"] {
  const { account, gate } = agent;
  const rule = account.closeoutRule();
  const guard = gate.closeoutGuard;
  const v = guard.update(account.closeoutReport()?.account, now);
  return {
    status: v?.engaged ? "degraded" : "ok", rule: rule.inForce, ruleSetting: rule.setting, note: rule.note,
    evidence: rule.evidence ? { at: new Date(rule.evidence.at).toISOString(), marginUsed: rule.evidence.marginUsed, nav: rule.evidence.nav, marginCloseoutPercent: rule.evidence.marginCloseoutPercent, ratio: round(rule.evidence.ratio, 4), verdict: rule.evidence.verdict } : null,
    distancePips: v?.distancePips == null ? null : round(v.distancePips, 1), instrument: v?.instrument ?? null, usage: round(v?.usage ?? 0, 6),
    guard: { engaged: v?.engaged ?? false, reason: v?.reason ?? null, since: iso(guard.since), guardPips: guard.config.guardPips, guardUsage: guard.config.guardUsage, targetPips: guard.config.targetPips },
  };
}
