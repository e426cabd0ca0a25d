// A small, honest in-memory ApiDeps for the HTTP tests: real metrics registry, a real redacted
// config, control state that actually changes, and a record of every control call so tests can
// assert that refused requests never reached the agent.
import type { ApiDeps, ControlState, GateDecisionView, HealthReport, OperatorSignalInput, OrderView, PositionsReport } from "../../src/http/deps.ts";
import { ApiError, overallStatus } from "../../src/http/deps.ts";
import { MetricsRegistry } from "../../src/metrics/registry.ts";
import { parseConfig, redactedConfig } from "../../src/config/load.ts";
import type { WorkerName } from "../../src/core/types.ts";

export const SECRETS = {
  OANDA_TOKEN: "oanda-secret-token-1234567890abcdef",
  TURSO_AUTH_TOKEN: "turso-secret-jwt-eyJhbGciOi",
  CONTROL_TOKEN: "control-secret-9f8e7d6c",
};

export interface FakeDeps extends ApiDeps {
  calls: Array<{ method: string; args: unknown[] }>;
  setHealth(status: HealthReport["status"]): void;
  orderRows: OrderView[];
}

export function fakeDeps(): FakeDeps {
  const calls: FakeDeps["calls"] = [];
  const metrics = new MetricsRegistry({ version: "0.1.0", runtime: "node", mode: "paper", startedAt: 1_767_600_000_000 });
  const { config } = parseConfig({
    ...SECRETS,
    OANDA_ACCOUNT_ID: "101-009-1234567-001",
    TURSO_DATABASE_URL: "libsql://orders-acme.turso.io?authToken=url-secret-abc",
  });
  const control: ControlState = {
    killSwitch: { engaged: false, flatten: false, since: null, by: null },
    paused: { all: false, workers: [] },
    changedAt: null,
    changedBy: null,
  };
  let pricingStatus: HealthReport["status"] = "ok";
  const changed = (actor: string) => {
    control.changedAt = new Date(1_767_600_000_000).toISOString();
    control.changedBy = actor;
    return structuredClone(control);
  };
  const orderRows: OrderView[] = [
    { clientId: "sk-a1", instrument: "USD_JPY", side: "buy", units: 10_000, status: "filled", pocket: "micro", createdAt: "2026-01-05T09:00:00.000Z", fillPrice: 157.12 },
    { clientId: "sk-a2", instrument: "USD_JPY", side: "sell", units: 5_000, status: "cancelled", pocket: "scalp_fast", createdAt: "2026-01-05T09:01:00.000Z", reason: "MARKET_HALTED" },
  ];
  const decisions: GateDecisionView[] = [];

  const deps: FakeDeps = {
    calls,
    orderRows,
    setHealth(status) {
      pricingStatus = status;
    },
    async health() {
      const checks: HealthReport["checks"] = {
        pricingStream: { status: pricingStatus, connected: pricingStatus !== "down", lastHeartbeatAgeMs: 900, priceAgeMs: { USD_JPY: 150 } },
        transactionStream: { status: "ok", connected: true, lastHeartbeatAgeMs: 1200, lastTransactionId: "6410" },
        accountState: { status: "ok", ageMs: 3000 },
        journal: { status: "ok", writable: true },
        replica: { status: "ok", enabled: false, lagRows: null, lastPushAt: null, lastError: null },
        marginModel: { status: "ok", setting: "auto", inForce: "max_side", evidence: null, note: "no hedged snapshot seen yet" },
        killSwitch: { status: control.killSwitch.engaged ? "degraded" : "ok", ...control.killSwitch },
        workers: { status: "ok", allPaused: control.paused.all, pausedWorkers: control.paused.workers, running: ["fast_scalp", "micro_multistrat", "hedge_balancer"] },
      };
      return { status: overallStatus(checks), version: "0.1.0", mode: "paper", uptimeSec: 42, checks };
    },
    async positions(): Promise<PositionsReport> {
      return {
        asOf: "2026-01-05T09:30:00.000Z",
        account: {
          id: "101-009-1234567-001", currency: "JPY", balance: 500_000, nav: 500_000, unrealizedPL: 0,
          marginUsed: 31_000, marginAvailable: 469_000, margin_usage_ratio: 0.062, free_margin_ratio: 0.938,
          marginCloseoutPercent: 0.031, marginModel: { setting: "net", inForce: "net" }, marginBudget: 414_000,
        },
        instruments: [{
          instrument: "USD_JPY", long: 50_000, short: 45_000, net: 5_000, avgLongPrice: 155, avgShortPrice: 155, unrealizedPL: 0,
          price: { bid: 154.99, ask: 155.01, mid: 155, ageMs: 120 },
          margin: { model: 31_000, broker: 31_000 },
          closeoutMovePips: 9380,
          headroom: { buy: { units: 61_000, reason: "ok", netReducing: false }, sell: { units: 76_000, reason: "dir_cap", netReducing: true } },
          pockets: [{ pocket: "macro", long: 50_000, short: 45_000, trades: 2 }],
        }],
      };
    },
    orders: {
      async list(filter) {
        calls.push({ method: "orders.list", args: [filter] });
        if (filter.cursor !== undefined && filter.cursor !== "page2") throw new ApiError(400, "bad_cursor", "unknown cursor");
        const rows = orderRows.filter((r) => (!filter.status || filter.status.includes(r.status)) && (!filter.instrument || r.instrument === filter.instrument));
        return { rows: rows.slice(0, filter.limit), nextCursor: rows.length > filter.limit ? "page2" : undefined };
      },
      async get(clientId) {
        return orderRows.find((r) => r.clientId === clientId);
      },
    },
    async signals(limit) {
      return decisions.slice(-limit).reverse().map((d) => ({ ...d, at: "2026-01-05T09:30:00.000Z", worker: "operator", instrument: "USD_JPY", side: "buy" as const }));
    },
    config: () => redactedConfig(config),
    metrics,
    control: {
      async pause(worker: WorkerName | undefined, actor: string) {
        calls.push({ method: "pause", args: [worker, actor] });
        if (worker === undefined) control.paused.all = true;
        else if (!control.paused.workers.includes(worker)) control.paused.workers.push(worker);
        return changed(actor);
      },
      async resume(worker: WorkerName | undefined, actor: string) {
        calls.push({ method: "resume", args: [worker, actor] });
        if (worker === undefined) {
          control.paused.all = false;
          control.paused.workers = [];
        } else control.paused.workers = control.paused.workers.filter((w) => w !== worker);
        return changed(actor);
      },
      async kill(opts, actor) {
        calls.push({ method: "kill", args: [opts, actor] });
        control.killSwitch = { engaged: true, flatten: opts.flatten, since: "2026-01-05T09:30:00.000Z", by: actor };
        const flatten = opts.flatten ? { instrument: null, orders: [{ instrument: "USD_JPY", side: "sell" as const, units: 5_000, clientId: "sk-flat-1", outcome: "filled" }] } : null;
        return { state: changed(actor), flatten };
      },
      async flatten(instrument, actor) {
        calls.push({ method: "flatten", args: [instrument, actor] });
        return { instrument: instrument ?? null, orders: [] };
      },
      async submitSignal(input: OperatorSignalInput, actor: string) {
        calls.push({ method: "submitSignal", args: [input, actor] });
        const d: GateDecisionView = { signalId: input.id ?? "op-1", outcome: "accepted", reason: "ok", units: input.units, clientId: `sk-${input.id ?? "op-1"}`, orderStatus: "filled" };
        decisions.push(d);
        return d;
      },
    },
  };
  return deps;
}
