// Loss limits against the simulator: a losing position moved by /sim/price stops entries at the
// limit with reason loss_limit, reduce-only still closes, the next trading day (simulated clock)
// lifts the daily limit, and the drawdown guard survives a restart until an operator resumes.
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, silentLogger } from "../../../src/core/log.ts";
import { LossLimitGuard, lossLimitSettings } from "../../../src/gate/guards/loss-limit-guard.ts";
import { entry, jpyScenario, type Rig, startRig } from "../../helpers/trading-rig.ts";
import { delay } from "../../helpers/wait.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A clock the test moves: the guard's trading day follows it, the rest of the rig runs on wall time. */
const simClock = (start: string) => ({ t: Date.parse(start), now() { return this.t; } });

async function movePrice(r: Rig, bid: number) {
  const res = await fetch(`${r.sim.restUrl}/sim/price`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ instrument: "USD_JPY", bid, ask: bid + 0.004 }) });
  expect(res.status).toBe(200);
  await r.refreshPrices();
  await r.sync.refresh();
}

describe("daily loss limit, against the simulator", () => {
  it("a losing position stops entries at the limit; reduce-only passes; the next trading day lifts it", async () => {
    const clock = simClock("2026-01-13T15:00:00Z"); // 10:00 New York, trading day 2026-01-13
    const errors: Record<string, unknown>[] = [];
    const log = createLogger("error", { write: (l: string) => void errors.push(JSON.parse(l)) });
    const alerts: string[] = [];
    const env = { MAX_DAILY_LOSS: "10000", MAX_DRAWDOWN_PCT: "0", POCKET_RULES: '{"macro":{"cooldownSec":0}}' };
    rig = await startRig({ scenario: jpyScenario(), env });
    const guard = new LossLimitGuard({ settings: lossLimitSettings(rig.config), clock, log, onEvent: (e) => alerts.push(e.kind) });
    const r = rig;
    // A gate with the guard, as the agent builds it.
    const guarded = await startGuardedGate(r, guard);

    // 50,000 long at ~155: every 0.01 (one pip) down loses 500 JPY.
    const first = await guarded.process(entry({ proposedUnits: 50_000 }));
    expect(first).toMatchObject({ outcome: "accepted", reason: "ok" });
    await movePrice(r, 154.92); // about -4,200 JPY
    expect((await guarded.process(entry({ proposedUnits: 1_000 }))).outcome).toBe("accepted");
    await movePrice(r, 154.78); // about -11,200 JPY: past 10,000
    const stopped = await guarded.process(entry({ proposedUnits: 1_000 }));
    expect(stopped).toMatchObject({ outcome: "skipped", reason: "loss_limit", detail: { scope: "daily", limit: 10_000 } });
    expect(stopped.detail.loss as number).toBeGreaterThanOrEqual(10_000);
    expect(alerts).toEqual(["daily_tripped"]);
    expect(errors.some((l) => l.event === "loss_limit" && l.scope === "daily")).toBe(true);
    // Risk can still come off.
    const reduce = await guarded.process(entry({ side: "sell", reduceOnly: true, proposedUnits: 20_000 }));
    expect(reduce).toMatchObject({ outcome: "accepted", units: 20_000 });
    await r.sync.refresh();
    // Same trading day, even after a partial recovery: still stopped.
    clock.t = Date.parse("2026-01-13T21:59:00Z");
    await movePrice(r, 154.85);
    expect((await guarded.process(entry({ proposedUnits: 1_000 }))).reason).toBe("loss_limit");
    // 17:00 New York (22:00 UTC in January): a new trading day opens at the current NAV.
    clock.t = Date.parse("2026-01-13T22:00:30Z");
    const next = await guarded.process(entry({ proposedUnits: 1_000 }));
    expect(next.outcome).toBe("accepted");
    expect(alerts).toEqual(["daily_tripped", "daily_lifted"]);
    expect(guard.status()).toMatchObject({ engaged: false, tradingDay: "2026-01-14" });
  });
});

describe("drawdown guard, against the simulator", () => {
  it("trips from the high-water mark, survives the next day and a restart, and lifts only on resume", async () => {
    const clock = simClock("2026-07-14T14:00:00Z");
    const env = { MAX_DAILY_LOSS: "off", MAX_DRAWDOWN_PCT: "2", POCKET_RULES: '{"macro":{"cooldownSec":0}}' }; // 2% of 500,000 = 10,000 JPY
    rig = await startRig({ scenario: jpyScenario(), env });
    const r = rig;
    const store = r.journal.guardState;
    const guard = new LossLimitGuard({ settings: lossLimitSettings(r.config), clock, store, log: silentLogger });
    await guard.load();
    const gate = await startGuardedGate(r, guard);
    expect((await gate.process(entry({ proposedUnits: 50_000 }))).outcome).toBe("accepted");
    await movePrice(r, 155.1); // a gain of about 4,800: the high-water mark rises above 500,000
    guard.observe(r.account.snapshot()!.nav); // the agent does this on every account refresh
    const high = guard.status().highWaterNav!;
    expect(high).toBeGreaterThan(504_000);
    await movePrice(r, 154.87); // about -11,500 from the high
    const stopped = await gate.process(entry({ proposedUnits: 1_000 }));
    expect(stopped).toMatchObject({ outcome: "skipped", reason: "loss_limit", detail: { scope: "drawdown" } });

    // The next trading day does not lift it...
    clock.t = Date.parse("2026-07-15T22:00:00Z");
    expect((await gate.process(entry({ proposedUnits: 1_000 }))).reason).toBe("loss_limit");
    // ...nor does a restart: the state is in the journal.
    await guard.flush();
    const restarted = new LossLimitGuard({ settings: lossLimitSettings(r.config), clock, store, log: silentLogger });
    await restarted.load();
    const gate2 = await startGuardedGate(r, restarted);
    expect((await gate2.process(entry({ proposedUnits: 1_000 }))).reason).toBe("loss_limit");
    expect(restarted.status()).toMatchObject({ engaged: true, scope: "drawdown", highWaterNav: high });
    // An operator's resume lifts it; the high-water mark restarts at the current NAV.
    expect(restarted.resume("test")).toBe(true);
    expect((await gate2.process(entry({ proposedUnits: 1_000 }))).outcome).toBe("accepted");
    expect(restarted.status().highWaterNav).toBeLessThan(high);
  });
});

async function startGuardedGate(r: Rig, guard: LossLimitGuard) {
  const { Gate } = await import("../../../src/gate/gate.ts");
  const { wallClock } = await import("../../../src/core/types.ts");
  const g = new Gate({
    config: r.config, clock: wallClock, instruments: r.instruments, account: r.account, prices: r.market, broker: r.client, journal: r.journal, log: silentLogger,
    enforceMarketHours: false, sleep: (ms) => delay(Math.min(ms, 50)), refreshAccount: () => r.sync.refresh(), lossLimit: guard,
  });
  await g.start();
  return g;
}
