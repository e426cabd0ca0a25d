// GET /health: every part's status from live state, and the worst of them as the answer's.
import { VERSION } from "../core/version.ts";
import { TRADING_WORKERS } from "../core/types.ts";
import { type ControlState, type HealthReport, overallStatus } from "../http/deps.ts";
import type { Agent } from "./agent.ts";
import { closeoutCheck } from "./closeout-check.ts";
import { streamStatus as streamHealth } from "./stream-health.ts";

const age = (now: number, t: number | undefined) => (t === undefined ? null : Math.max(0, now - t));

/** `control`: the controls as the API reports them (who engaged the kill switch is the API's to know). */
export async function healthReport(agent: Agent, control: ControlState): Promise<HealthReport> {
  const now = agent.clock.now();
  const { config, pricing, transactions, account, replicator } = agent;
  const priceAgeMs: Record<string, number | null> = {};
  for (const name of config.INSTRUMENTS) priceAgeMs[name] = agent.market.priceAgeMs(name) ?? null;
  // Reconnecting within STREAM_DOWN_AFTER_SEC is degraded (200), not down (503): src/agent/stream-health.ts.
  const limits = { heartbeatTimeoutMs: config.STREAM_HEARTBEAT_TIMEOUT_MS, downAfterMs: config.STREAM_DOWN_AFTER_SEC * 1000, startedAt: agent.startedAt };
  const streamStatus = (s: { connected: boolean; lastMessageAt?: number }) => streamHealth(s, now, limits);
  // A write, not a read: a read-only or full journal reads fine and fails every order.
  const probe = await agent.journal.probe();
  const writable = probe.writable;
  const journalError = probe.error ?? null;
  const rep = replicator.state();
  const model = account.marginModel();
  const { killSwitch, paused } = control;
  const accountAge = Number.isFinite(account.ageMs()) ? account.ageMs() : null;
  const checks: HealthReport["checks"] = {
    pricingStream: { status: streamStatus(pricing.state), connected: pricing.state.connected, lastHeartbeatAgeMs: age(now, pricing.state.lastHeartbeatAt), priceAgeMs, reconnects: pricing.state.reconnects },
    transactionStream: { status: streamStatus(transactions.state), connected: transactions.state.connected, lastHeartbeatAgeMs: age(now, transactions.state.lastHeartbeatAt), lastTransactionId: transactions.state.lastTransactionID ?? null, reconnects: transactions.state.reconnects },
    accountState: { status: accountAge === null ? "down" : account.isStale(config.ACCOUNT_REFRESH_SEC) ? "degraded" : "ok", ageMs: accountAge },
    journal: { status: writable ? "ok" : "down", writable, lastError: journalError },
    replica: { status: rep.enabled && rep.lastError ? "degraded" : "ok", enabled: rep.enabled, lagRows: rep.enabled ? rep.rowsBehind : null, lastPushAt: rep.lastPushAt ?? null, lastError: rep.lastError ?? null },
    marginModel: {
      status: "ok", setting: model.setting, inForce: model.inForce, note: model.note,
      evidence: model.evidence ? { ...model.evidence, at: new Date(model.evidence.at).toISOString() } : null,
    },
    closeout: closeoutCheck(agent, now),
    killSwitch: { status: killSwitch.engaged ? "degraded" : "ok", ...killSwitch },
    lossLimit: (() => {
      const l = agent.lossLimit.status();
      return { status: l.engaged ? "degraded" as const : "ok" as const, ...l };
    })(),
    workers: {
      status: "ok", allPaused: paused.all, pausedWorkers: paused.workers,
      running: TRADING_WORKERS.filter((w) => agent.dispatcher.active(w)),
    },
    ledger: agent.ledgerAlerts.check(agent.ledger.state(), now),
  };
  return { status: overallStatus(checks), version: VERSION, mode: agent.mode, uptimeSec: (now - agent.startedAt) / 1000, checks };
}
