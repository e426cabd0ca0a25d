// A small, honest ApiDeps for the HTTP tests. The journal is the real one (libSQL, in memory),
// the metrics registry and the redacted config are the real ones; only the agent's live state
// (health figures, positions, control decisions) is a stand-in. Control actions are journaled
// with their actor like the agent will do, so tests can assert refused requests changed nothing.
import type { ApiDeps, ControlState, GateDecisionView, HealthReport, OperatorSignalInput, PositionsReport } from "../../src/http/deps.ts";
import { overallStatus } from "../../src/http/deps.ts";
import { historyReport } from "../../src/http/history.ts";
import { MetricsRegistry } from "../../src/metrics/registry.ts";
import { parseConfig, redactedConfig } from "../../src/config/load.ts";
import { type Journal, openJournal } from "../../src/store/index.ts";
import type { WorkerName } from "../../src/core/types.ts";
import { ledgerApi } from "../../src/agent/ledger-api.ts";

export const SECRETS = {
  OANDA_TOKEN: "oanda-secret-token-1234567890abcdef",
  TURSO_AUTH_TOKEN: "turso-secret-jwt-eyJhbGciOi",
  CONTROL_TOKEN: "control-secret-9f8e7d6c",
  URL_TOKEN: "url-secret-abc",
};

export interface FakeDeps extends ApiDeps {
  journal: Journal;
  setPricingStatus(status: HealthReport["status"]): void;
  close(): Promise<void>;
}

const T0 = 1_767_600_000_000; // 2026-01-05T08:00:00Z

export async function fakeDeps(): Promise<FakeDeps> {
  let now = T0;
  const journal = await openJournal({ path: ":memory:", clock: { now: () => (now += 1000) } });
  const metrics = new MetricsRegistry({ version: "0.1.0", runtime: "node", mode: "paper", startedAt: T0 });
  const { config } = parseConfig({
    OANDA_TOKEN: SECRETS.OANDA_TOKEN,
    TURSO_AUTH_TOKEN: SECRETS.TURSO_AUTH_TOKEN,
    CONTROL_TOKEN: SECRETS.CONTROL_TOKEN,
    OANDA_ACCOUNT_ID: "101-009-1234567-001",
    TURSO_DATABASE_URL: `libsql://orders-acme.turso.io?authToken=${SECRETS.URL_TOKEN}`,
  });

  // Two orders as the gate would journal them: one filled, one cancelled by the broker.
  const intent = (clientId: string, side: "buy" | "sell", units: number) =>
    journal.orders.insertIntent({ clientId, signalId: clientId.slice(3), worker: "micro_multistrat", strategy: "range_break", pocket: "micro", instrument: "USD_JPY", side, requestedUnits: units, reduceOnly: false, positionFill: "DEFAULT" });
  await intent("sk-a1", "buy", 10_000);
  await journal.orders.advance("sk-a1", "submitted");
  await journal.orders.advance("sk-a1", "filled", { filledUnits: 10_000, fillPrice: 157.12, oandaOrderId: "6401" });
  await intent("sk-a2", "sell", 5_000);
  await journal.orders.advance("sk-a2", "submitted");
  await journal.orders.advance("sk-a2", "cancelled", { cancelReason: "MARKET_HALTED" });
  metrics.orderStatus(await journal.orders.countByStatus());

  const control: ControlState = {
    killSwitch: { engaged: false, flatten: false, since: null, by: null },
    paused: { all: false, workers: [] },
    changedAt: null,
    changedBy: null,
  };
  let pricingStatus: HealthReport["status"] = "ok";
  const changed = async (action: string, actor: string, detail: unknown) => {
    await journal.control.insert(action, actor, detail);
    control.changedAt = new Date(now).toISOString();
    control.changedBy = actor;
    return structuredClone(control);
  };

  return {
    journal,
    setPricingStatus(status) {
      pricingStatus = status;
    },
    close: () => journal.close(),
    async health() {
      const checks: HealthReport["checks"] = {
        pricingStream: { status: pricingStatus, connected: pricingStatus !== "down", lastHeartbeatAgeMs: 900, priceAgeMs: { USD_JPY: 150 } },
        transactionStream: { status: "ok", connected: true, lastHeartbeatAgeMs: 1200, lastTransactionId: "6410" },
        accountState: { status: "ok", ageMs: 3000 },
        journal: { status: "ok", writable: true },
        replica: { status: "ok", enabled: false, lagRows: null, lastPushAt: null, lastError: null },
        marginModel: { status: "ok", setting: "auto", inForce: "max_side", evidence: null, note: "no hedged snapshot seen yet" },
        closeout: {
          status: "ok", rule: "japan", ruleSetting: "auto", note: "auto: assuming the stricter japan rule", evidence: null, distancePips: 9770.8, instrument: "USD_JPY", usage: 0.062,
          guard: { engaged: false, reason: null, since: null, guardPips: 55, guardUsage: 0.95, targetPips: 90 },
        },
        killSwitch: { status: control.killSwitch.engaged ? "degraded" : "ok", ...control.killSwitch },
        workers: { status: "ok", allPaused: control.paused.all, pausedWorkers: control.paused.workers, running: ["fast_scalp", "micro_multistrat", "hedge_balancer"] },
      };
      return { status: overallStatus(checks), version: "0.1.0", mode: "paper", uptimeSec: 42, checks };
    },
    async positions(): Promise<PositionsReport> {
      // The memo's picture: 45k short and 50k long USD_JPY at 155 in a 500,000 JPY account.
      return {
        asOf: "2026-01-05T09:30:00.000Z",
        account: {
          id: "101-009-1234567-001", currency: "JPY", balance: 500_000, nav: 500_000, unrealizedPL: 0,
          marginUsed: 31_000, marginAvailable: 469_000, margin_usage_ratio: 0.062, free_margin_ratio: 0.938,
          marginCloseoutPercent: 0.031, marginModel: { setting: "net", inForce: "net" }, marginBudget: 414_000,
          closeout: { rule: "japan", ruleSetting: "auto", usage: 0.062, distancePips: 9770.8, instrument: "USD_JPY", direction: "down" },
        },
        instruments: [{
          instrument: "USD_JPY", long: 50_000, short: 45_000, net: 5_000, avgLongPrice: 155, avgShortPrice: 155, unrealizedPL: 0,
          price: { bid: 154.99, ask: 155.01, mid: 155, ageMs: 120 },
          margin: { model: 31_000, broker: 31_000 },
          closeoutMovePips: 9770.8,
          headroom: { buy: { units: 61_000, reason: "ok", netReducing: false }, sell: { units: 76_000, reason: "dir_cap", netReducing: true } },
          pockets: [{ pocket: "macro", long: 50_000, short: 45_000, trades: 2 }],
        }],
      };
    },
    // The real ledger reports over the fake's journal (no broker: unrealized from snapshots only).
    ledger: ledgerApi({ db: journal.db, changeHead: () => journal.feed.head(), now: () => now }),
    orders: {
      list: (filter) => journal.orders.list(filter),
      get: (clientId) => journal.orders.findByClientId(clientId),
    },
    signals: (limit) => journal.decisions.recent(limit),
    history: async (q) => historyReport(await journal.history.account({ sinceMs: q.sinceMs, untilMs: q.untilMs, maxPoints: q.max }), q, 60),
    config: () => redactedConfig(config),
    metrics,
    control: {
      async pause(worker: WorkerName | undefined, actor: string) {
        if (worker === undefined) control.paused.all = true;
        else if (!control.paused.workers.includes(worker)) control.paused.workers.push(worker);
        return changed("pause", actor, { worker: worker ?? null });
      },
      async resume(worker: WorkerName | undefined, actor: string) {
        if (worker === undefined) {
          control.paused.all = false;
          control.paused.workers = [];
        } else control.paused.workers = control.paused.workers.filter((w) => w !== worker);
        return changed("resume", actor, { worker: worker ?? null });
      },
      async kill(opts, actor) {
        control.killSwitch = { engaged: true, flatten: opts.flatten, since: new Date(now).toISOString(), by: actor };
        const state = await changed("kill", actor, opts);
        const flatten = opts.flatten ? { instrument: null, orders: [{ instrument: "USD_JPY", side: "sell" as const, units: 5_000, clientId: "sk-flat-1", outcome: "filled" }] } : null;
        return { state, flatten };
      },
      async flatten(instrument, actor) {
        await journal.control.insert("flatten", actor, { instrument: instrument ?? null });
        return { instrument: instrument ?? null, orders: [] };
      },
      async submitSignal(input: OperatorSignalInput, actor: string): Promise<GateDecisionView> {
        // Stand-in for the gate: a reduce-only signal with no position to reduce is skipped.
        const signalId = input.id ?? `op-${now}`;
        const skipped = input.reduce_only;
        await journal.decisions.insert({
          signalId, worker: "operator", strategy: actor, pocket: input.pocket, instrument: input.instrument, side: input.side,
          outcome: skipped ? "skipped" : "accepted", reason: skipped ? "reduce_only_no_net" : "ok", units: skipped ? 0 : input.units,
          detail: { requested: input.units }, clientId: skipped ? undefined : `sk-${signalId}`,
        });
        metrics.decision(skipped ? "skipped" : "accepted", skipped ? "reduce_only_no_net" : "ok");
        return skipped
          ? { signalId, outcome: "skipped", reason: "reduce_only_no_net", units: 0, clientId: null, details: { net: 0 } }
          : { signalId, outcome: "accepted", reason: "ok", units: input.units, clientId: `sk-${signalId}`, orderStatus: "intent" };
      },
      async ackAlerts(actor: string) {
        await journal.control.insert("ack_alerts", actor, {});
        return { ledger: { status: "ok" as const, cursor: null, lastError: null, lateFills: 0, unattributedFills: 0, manualFills: 0, lastAlert: null, acknowledged: { at: new Date(now).toISOString(), by: actor } } };
      },
    },
  };
}
