// The loss-cut distance and the closeout guard, in the agent against the simulator over HTTP:
// NAV 500,000 JPY, 76,700 long USD_JPY at 150 (92% usage) is about 52-54 pips from OANDA Japan's
// loss-cut, inside the guard's 55 pips.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/log.ts";
import { type Agent, startAgent } from "../../src/agent/agent.ts";
import { createApiDeps } from "../../src/agent/api.ts";
import { createApp } from "../../src/http/app.ts";
import { parseScenario } from "../../src/sim/index.ts";
import { jpyScenario, type Rig, startRig } from "../helpers/trading-rig.ts";
import { HedgeBalancerWorker } from "../../src/workers/hedge_balancer/worker.ts";
import { SignalBus } from "../../src/bus/signal-bus.ts";
import { CloseoutGuard, closeoutGuardSettings } from "../../src/gate/guards/closeout-guard.ts";
import type { Signal } from "../../src/core/types.ts";

const TOKEN = "test-control-token-0123456789";
const scenario = jpyScenario({ marginModel: "max_side", bid: 149.999, ask: 150.001, positions: [{ long: 76_700, short: 0, price: 150 }] });

describe("the agent near OANDA Japan's loss-cut", () => {
  let dir: string;
  let agent: Agent;
  let app: ReturnType<typeof createApp>;
  const get = async (path: string) => (await app.fetch(new Request(`http://127.0.0.1${path}`))).json() as Promise<any>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sekisho-closeout-"));
    const { config } = parseConfig({
      DB_PATH: join(dir, "orders.db"), CONTROL_TOKEN: TOKEN, LOG_LEVEL: "silent", CLOSEOUT_RULE: "japan",
      FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0",
    });
    agent = await startAgent({ config, mode: "paper", log: silentLogger, simScenario: parseScenario(scenario) });
    app = createApp(createApiDeps(agent), { controlToken: TOKEN, requireTokenEverywhere: false, bodyLimitBytes: 65536 });
  });
  afterAll(async () => {
    await agent?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("/positions shows the distance per instrument and for the account: about 52-54 pips, not 352", async () => {
    const p = await get("/positions");
    const usd = p.instruments.find((i: { instrument: string }) => i.instrument === "USD_JPY");
    expect(usd.closeoutMovePips).toBeGreaterThan(50);
    expect(usd.closeoutMovePips).toBeLessThan(56);
    expect(p.account.closeout).toMatchObject({ rule: "japan", instrument: "USD_JPY", direction: "down", distancePips: usd.closeoutMovePips });
    expect(p.account.closeout.usage).toBeCloseTo(0.92, 2);
  });

  it("the guard is engaged: /health says why, entries are skipped closeout_guard, the metric reads 1", async () => {
    const h = await get("/health");
    expect(h.checks.closeout).toMatchObject({ status: "degraded", rule: "japan", guard: { engaged: true, reason: "distance", guardPips: 55 } });
    expect(h.status).not.toBe("ok");
    const r = await app.fetch(new Request("http://127.0.0.1/control/signal", {
      method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "near-cut", instrument: "USD_JPY", side: "buy", units: 1000 }),
    }));
    const d = await r.json();
    expect(d).toMatchObject({ outcome: "skipped", reason: "closeout_guard" });
    expect(d.details).toMatchObject({ guard: "distance", instrument: "USD_JPY" });
    const text = await (await app.fetch(new Request("http://127.0.0.1/metrics"))).text();
    expect(text).toMatch(/^sekisho_closeout_guard_engaged 1$/m);
    expect(text).toMatch(/^sekisho_closeout_guard_engagements_total\{reason="distance"\} 1$/m);
  });
});

describe("the guard reduces exposure until the distance is back", () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it("one reduce-only step against the net brings the loss-cut back beyond CLOSEOUT_GUARD_TARGET_PIPS; then the guard releases", async () => {
    rig = await startRig({ scenario, env: { CLOSEOUT_RULE: "japan", HEDGE_COOLDOWN_SEC: "3600" } });
    const guard = new CloseoutGuard(closeoutGuardSettings(rig.config));
    const bus = new SignalBus({ capacity: 8, clock: { now: () => Date.now() } });
    const published: Signal[] = [];
    const w = new HedgeBalancerWorker({ config: rig.config, clock: { now: () => Date.now() }, account: rig.account, market: rig.market, instruments: rig.instruments, publish: (s) => { published.push(s); bus.publish(s); }, closeoutGuard: guard });
    expect(rig.account.closeoutReport()!.account.pips!).toBeLessThan(55);
    const plan = w.tick();
    expect(plan).toMatchObject({ action: "hedge", side: "sell" });
    expect(published[0]!.meta).toMatchObject({ closeoutGuard: true });
    const d = await rig.gate.process(bus.tryNext()!);
    expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    await rig.sync.refresh();
    const after = rig.account.closeoutReport()!.account;
    expect(after.pips!).toBeGreaterThanOrEqual(90);
    // Not much more than needed: one unit less would have been short of 90 pips.
    expect(after.pips!).toBeLessThan(95);
    expect(guard.update(after, Date.now())?.engaged).toBe(false);
  });

  it("in a market that fell 5 pips since the agent's last tick, the guard's reduction still fills; an ordinary hedge of the same size is cancelled by its 1.5-pip bound", async () => {
    rig = await startRig({ scenario, env: { CLOSEOUT_RULE: "japan", HEDGE_COOLDOWN_SEC: "3600" } });
    const guard = new CloseoutGuard(closeoutGuardSettings(rig.config));
    const published: Signal[] = [];
    const w = new HedgeBalancerWorker({ config: rig.config, clock: { now: () => Date.now() }, account: rig.account, market: rig.market, instruments: rig.instruments, publish: (s) => published.push(s), closeoutGuard: guard });
    w.tick();
    const reduction = published[0]!;
    expect(reduction).toMatchObject({ reduceOnly: true, side: "sell", meta: { closeoutGuard: true } });
    // The broker's price moves on; the agent has not seen it yet.
    const startTx = Number(rig.sim.engine.lastTransactionID);
    rig.sim.engine.applyTick({ instrument: "USD_JPY", bid: 149.949, ask: 149.951, time: Date.now() });
    const plain: Signal = { ...reduction, id: `${reduction.id}-plain`, meta: { usage: reduction.meta!["usage"] } };
    const cancelled = await rig.gate.process(plain);
    expect(cancelled).toMatchObject({ outcome: "accepted", orderStatus: "cancelled" });
    const filled = await rig.gate.process(reduction);
    expect(filled).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    // Counted at the broker: one cancel for bounds, one fill at the new price.
    const txs = (rig.sim.engine.transactions() as unknown as Array<Record<string, unknown>>).filter((t) => Number(t.id) > startTx);
    expect(txs.filter((t) => t.type === "ORDER_CANCEL").map((t) => t.reason)).toEqual(["BOUNDS_VIOLATION"]);
    expect(txs.filter((t) => t.type === "ORDER_FILL" && t.reason === "MARKET_ORDER").map((t) => t.price)).toEqual(["149.949"]);
  });
});
