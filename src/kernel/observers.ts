// What the kernel tells its observers about the account: after each read, the closeout guard and
// the loss limit see the new figures and the metrics show them; when the guard engages or
// releases, a log line, a metric and an operator alert.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../core/log.ts";
import type { Clock } from "../core/types.ts";
import type { AlertSink } from "../alerts/index.ts";
import type { MetricsRegistry } from "../metrics/registry.ts";
import type { CloseoutGuard } from "../gate/guards/closeout-guard.ts";
import type { LossLimitGuard } from "../gate/guards/loss-limit-guard.ts";
import { freeMarginRatio, marginUsageRatio } from "../margin/model.ts";
import type { AccountState } from "../state/account-state.ts";

/** The metrics the kernel reports to (the registry in src/metrics satisfies it). */
export type KernelMetrics = Pick<MetricsRegistry, "signalDropped" | "signalPublished" | "fastScalpSkip" | "microSkip" | "decision" | "tickToSubmit" | "closeout" | "setAccount" | "rehearsal">;

/** After each account read. */
export function accountRefreshObserver(d: { account: AccountState; clock: Clock; closeoutGuard: CloseoutGuard; lossLimit?: Pick<LossLimitGuard, "observe">; metrics?: KernelMetrics }): void {
  const { account, metrics } = d;
  const s = account.snapshot();
  if (!s) return;
  d.lossLimit?.observe(s.nav);
  const v = d.closeoutGuard.update(account.closeoutReport()?.account, d.clock.now());
  if (!metrics) return;
  if (v) metrics.closeout({ engaged: v.engaged, distancePips: v.distancePips, usage: v.usage });
  metrics.setAccount({ marginUsageRatio: marginUsageRatio(s.marginUsed, s.nav), freeMarginRatio: freeMarginRatio(s.marginAvailable, s.nav), nav: s.nav, marginUsed: s.marginUsed, marginAvailable: s.marginAvailable, asOf: s.asOf });
}

/** The closeout guard's change handler: engaging is an error line, a metric and an operator alert. */
export function closeoutGuardObserver(d: { config: Config; log: Logger; metrics?: KernelMetrics; alerts?: AlertSink; rule: () => string | undefined }): ConstructorParameters<typeof CloseoutGuard>[1] {
  const { config, log, metrics, alerts } = d;
  return ({ change, verdict }) => {
    const what = { event: "closeout_guard", change, reason: verdict.reason, distancePips: verdict.distancePips, usage: verdict.usage, instrument: verdict.instrument, direction: verdict.direction, rule: d.rule() };
    if (change === "engaged") log.error(what, `closeout guard engaged: ${verdict.distancePips === null ? "?" : verdict.distancePips.toFixed(1)} pips to the loss-cut on ${verdict.instrument ?? "?"}, usage ${(verdict.usage * 100).toFixed(1)}%: entries stopped, reducing exposure`);
    else log.warn(what, "closeout guard released: the loss-cut is far enough again");
    metrics?.closeout({ engaged: verdict.engaged, distancePips: verdict.distancePips, usage: verdict.usage, engagedNow: change === "engaged" ? verdict.reason ?? undefined : undefined });
    alerts?.notify({
      kind: "closeout_guard", action: change === "engaged" ? "entries_blocked" : "released", usage: verdict.usage,
      detail: `${verdict.distancePips === null ? "no" : verdict.distancePips.toFixed(1)} pips to the ${d.rule()} loss-cut on ${verdict.instrument ?? "the account"}${change === "engaged" ? `; reducing exposure until ${config.CLOSEOUT_GUARD_TARGET_PIPS} pips` : ""}`,
    });
  };
}
