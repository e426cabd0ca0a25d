// How /health's overall status follows from its checks (the agent computes it; src/agent/api.ts).
import { CHECK_STATUSES, type CheckStatus } from "./schemas/common.ts";
import type { HealthChecks } from "./schemas/health.ts";

/** The overall status is the worst of the checks' (ok < degraded < down). */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst = 0;
  for (const s of statuses) worst = Math.max(worst, CHECK_STATUSES.indexOf(s));
  return CHECK_STATUSES[worst]!;
}

/** Convenience for the agent: overall status from the per-component checks. */
export function overallStatus(checks: HealthChecks): CheckStatus {
  return worstStatus(Object.values(checks).map((c) => c.status));
}
