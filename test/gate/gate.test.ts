// The gate against the simulator over real HTTP, with a real journal: issue 5's facts.
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { entry, jpyScenario, type Rig, startRig } from "../helpers/trading-rig.ts";
import { clientIdForSignal } from "../../src/core/client-id.ts";
import { SignalBus } from "../../src/bus/signal-bus.ts";
import { wallClock } from "../../src/core/types.ts";
import { marginBudget } from "../../src/margin/model.ts";
import { delay } from "../helpers/wait.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function summary(r: Rig) {
  return r.client.accountDetails();
}

describe("the memo's example end to end", () => {
  it("net: 45k short at 155, a 50k long passes and leaves about 31,000 JPY margin", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "net", positions: [{ long: 0, short: 45_000 }] }), env: { MARGIN_MODEL: "net" } });
    const d = await rig.gate.process(entry({ side: "buy", proposedUnits: 50_000 }));
    expect(d).toMatchObject({ outcome: "accepted", units: 50_000, orderStatus: "filled" });
    const s = await summary(rig);
    expect(s.marginUsed).toBeGreaterThan(30_500);
    expect(s.marginUsed).toBeLessThan(31_500);
    const row = await rig.journal.orders.findByClientId(d.clientId!);
    expect(row?.status).toBe("filled");
    expect(row?.positionFill).toBe("OPEN_ONLY");
    // The decision is journaled with the numbers behind it.
    const [decision] = await rig.journal.decisions.recent(1);
    expect(decision).toMatchObject({ outcome: "accepted", reason: "ok", units: 50_000, clientId: d.clientId });
    expect(decision!.detail).toMatchObject({ model: "net", short: 45_000, allowedUnits: 50_000, orderStatus: "filled" });
    expect((decision!.detail as { marginAfter: number }).marginAfter).toBeCloseTo(31_000, -3);
  });

  it("max_side: the same entry passes and margin is the larger side (~310,000 JPY)", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "max_side", positions: [{ long: 0, short: 45_000 }] }), env: { MARGIN_MODEL: "max_side" } });
    const d = await rig.gate.process(entry({ side: "buy", proposedUnits: 50_000 }));
    expect(d).toMatchObject({ outcome: "accepted", units: 50_000, orderStatus: "filled" });
    const s = await summary(rig);
    expect(s.marginUsed).toBeGreaterThan(305_000);
    expect(s.marginUsed).toBeLessThan(315_000);
  });

  it("max_side: an entry that would take the larger side past the budget is sized down to fit", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "max_side", positions: [{ long: 0, short: 45_000 }] }), env: { MARGIN_MODEL: "max_side" } });
    const before = await summary(rig);
    const budget = marginBudget(before.nav, 0.92, 0.9);
    const d = await rig.gate.process(entry({ side: "buy", proposedUnits: 100_000 }));
    expect(d.outcome).toBe("accepted");
    expect(d.units!).toBeLessThan(100_000);
    // The larger side after the entry fits the budget to within one unit's margin.
    const mid = 155;
    expect(d.units! * mid * 0.04).toBeLessThanOrEqual(budget + 1);
    expect((d.units! + 1) * mid * 0.04).toBeGreaterThan(budget - 400); // sized to fit, not far below
    const after = await summary(rig);
    expect(after.marginUsed).toBeLessThanOrEqual(budget + 1);
  });
});

describe("money safety", () => {
  it("many signals published at once never take usage past the budget, whatever their order", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "net" }), env: { MARGIN_MODEL: "net", POCKET_RULES: JSON.stringify({ macro: { cooldownSec: 0 } }) } });
    const r = rig;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ side: fc.constantFrom("buy" as const, "sell" as const), units: fc.integer({ min: 1_000, max: 60_000 }) }), { minLength: 8, maxLength: 14 }),
        async (wishes) => {
          const bus = new SignalBus({ capacity: 64, clock: wallClock });
          for (const w of wishes) bus.publish(entry({ side: w.side, proposedUnits: w.units }));
          for (let s = bus.tryNext(); s; s = bus.tryNext()) {
            const before = await summary(r);
            const budget = marginBudget(before.nav, 0.92, 0.9);
            await r.refreshPrices();
            await r.gate.process(s);
            await r.sync.refresh();
            const after = await summary(r);
            // Either within the budget, or no higher than before (a net-reducing entry).
            expect(after.marginUsed <= budget + 1 || after.marginUsed <= before.marginUsed + 1).toBe(true);
          }
        },
      ),
      { numRuns: 4 },
    );
  });

  it("signals back to back on two instruments, before the account refresh lands, still fit the budget", async () => {
    const scenario = { ...jpyScenario({ marginModel: "net" }), instruments: { USD_JPY: { bid: 154.998, ask: 155.002 }, EUR_JPY: { bid: 164.996, ask: 165.004 } } };
    rig = await startRig({ scenario, env: { MARGIN_MODEL: "net", INSTRUMENTS: "USD_JPY,EUR_JPY" } });
    const budget = marginBudget((await summary(rig)).nav, 0.92, 0.9);
    const a = await rig.gate.process(entry({ instrument: "USD_JPY", proposedUnits: 35_000 }));
    expect(a.orderStatus).toBe("filled");
    // No refresh between: the gate must count the first fill itself.
    const b = await rig.gate.process(entry({ instrument: "EUR_JPY", proposedUnits: 35_000 }));
    expect(b.outcome).toBe("accepted");
    expect(b.units!).toBeLessThan(35_000);
    const after = await summary(rig);
    expect(after.marginUsed).toBeLessThanOrEqual(budget + 1);
  });

});

describe("never twice", () => {
  it("the same signal published twice at once: the bus queues both, the gate sends one order", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    const bus = new SignalBus({ capacity: 10, clock: wallClock });
    const s = entry({ proposedUnits: 3_000 });
    bus.publish(s);
    bus.publish({ ...s });
    const first = await rig.gate.process(bus.tryNext()!);
    const second = await rig.gate.process(bus.tryNext()!);
    expect([first.orderStatus, second.reason]).toEqual(["filled", "duplicate_signal"]);
    expect(second.detail).toMatchObject({ clientId: clientIdForSignal(s.id), status: "filled" });
    const pos = (await rig.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.long).toBe(3_000);
  });

  it("units that are not a finite number are refused before sizing (typed is not checked: NaN is a number)", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    for (const proposedUnits of [Number.NaN, Number.POSITIVE_INFINITY, -5]) {
      expect((await rig.gate.process(entry({ proposedUnits })))).toMatchObject({ outcome: "skipped", reason: "invalid_signal" });
    }
    expect((await rig.journal.orders.list({ limit: 5 })).rows).toEqual([]);
  });

  it("the same signal id twice: one order, the second is skipped as duplicate_signal", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    const s = entry({ proposedUnits: 4_000 });
    expect((await rig.gate.process(s)).orderStatus).toBe("filled");
    await rig.refreshPrices();
    expect((await rig.gate.process({ ...s, createdAt: Date.now() })).reason).toBe("duplicate_signal");
    const pos = (await rig.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.long).toBe(4_000);
  });

});

describe("manual trades are never touched", () => {
  it("with only manual trades on that side, reduce-only is refused", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0, tag: null }] }) });
    const manualOnly = await rig.gate.process(entry({ side: "sell", reduceOnly: true, proposedUnits: 10_000 }));
    expect(manualOnly.reason).toBe("manual_trades_first");
    expect((await rig.client.openTrades())[0]?.units).toBe(30_000);
  });

  it("with an older manual trade first in line, sekisho's own trades are closed by id and the manual one stays", async () => {
    // A manual long of 30k opened first, then sekisho's 12k and 8k.
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0, tag: null }] }) });
    for (const u of [12_000, 8_000]) {
      expect((await rig.gate.process(entry({ side: "buy", proposedUnits: u }))).orderStatus).toBe("filled");
      await rig.refreshPrices();
    }
    const reduce = await rig.gate.process(entry({ side: "sell", reduceOnly: true, proposedUnits: 15_000 }));
    expect(reduce).toMatchObject({ outcome: "accepted", units: 15_000, orderStatus: "filled" });
    expect(reduce.detail.tradeCloses).toHaveLength(2);
    const trades = await rig.client.openTrades();
    const manual = trades.find((t) => !t.clientExtensions?.tag?.startsWith("sekisho:"));
    expect(manual?.units).toBe(30_000);
    expect(trades.reduce((n, t) => n + t.units, 0)).toBe(35_000);
    const rows = (await rig.journal.orders.list({ limit: 10 })).rows.filter((r) => r.positionFill === "TRADE_CLOSE");
    expect(rows.map((r) => [r.status, r.requestedUnits]).sort()).toEqual([["filled", 12_000], ["filled", 3_000]].sort());
  });

  it("with sekisho's trade ahead of a manual one, reduce-only stops at sekisho's units", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 15_000, short: 0 }] }) });
    await rig.client.submitMarketOrder({ clientId: "manual-1", instrument: "USD_JPY", side: "buy", units: 30_000, timeInForce: "FOK", positionFill: "OPEN_ONLY", tag: "my-own", comment: "" });
    await rig.sync.refresh();
    const d = await rig.gate.process(entry({ side: "sell", reduceOnly: true, proposedUnits: 40_000 }));
    expect(d).toMatchObject({ outcome: "accepted", units: 15_000, orderStatus: "filled" });
    const trades = await rig.client.openTrades();
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ units: 30_000, clientExtensions: { tag: "my-own" } });
  });
});

describe("kill switch", () => {
  it("stops entries at once; reduce-only still passes unless the switch says flatten-and-stop", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 40_000, short: 0 }] }) });
    rig.gate.controls.kill(false, Date.now());
    expect((await rig.gate.process(entry({ side: "buy", proposedUnits: 5_000 }))).reason).toBe("kill_switch");
    const reduce = await rig.gate.process(entry({ side: "sell", proposedUnits: 10_000, reduceOnly: true, pocket: "macro" }));
    expect(reduce).toMatchObject({ outcome: "accepted", units: 10_000, orderStatus: "filled" });
    rig.gate.controls.kill(true, Date.now());
    await rig.refreshPrices();
    const blocked = await rig.gate.process(entry({ side: "sell", proposedUnits: 10_000, reduceOnly: true }));
    expect(blocked.reason).toBe("kill_switch");
    rig.gate.controls.resume();
    await rig.refreshPrices();
    expect((await rig.gate.process(entry({ side: "buy", proposedUnits: 5_000 }))).outcome).toBe("accepted");
  });
});

describe("reduce-only rules", () => {
  it("units = min(proposed, |net|, reduce cap), opposite to net, REDUCE_ONLY, nothing attached", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0 }] }) });
    const wrongWay = await rig.gate.process(entry({ side: "buy", reduceOnly: true, proposedUnits: 5_000 }));
    expect(wrongWay.reason).toBe("reduce_only_direction");
    const d = await rig.gate.process(entry({ side: "sell", reduceOnly: true, proposedUnits: 50_000, reduceCap: 25_000, tpPips: 5, slPips: 5, attachSlTp: false }));
    expect(d).toMatchObject({ outcome: "accepted", units: 25_000 });
    const row = await rig.journal.orders.findByClientId(d.clientId!);
    expect(row?.positionFill).toBe("REDUCE_ONLY");
    expect(row?.tpPrice).toBeNull();
    expect(row?.slPrice).toBeNull();
    const req = JSON.parse(row!.requestJson!);
    expect(req.takeProfitPrice).toBeUndefined();
    const pos = (await rig.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.long).toBe(5_000);
  });

  it("a flat instrument has nothing to reduce", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    expect((await rig.gate.process(entry({ side: "sell", reduceOnly: true }))).reason).toBe("nothing_to_reduce");
  });
});

describe("each gate step skips with its recorded reason", () => {
  it("stale signal, paused worker, manual pocket", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    expect((await rig.gate.process(entry({ createdAt: Date.now() - 60_000, ttlMs: 5_000 }))).reason).toBe("signal_stale");
    rig.gate.controls.pause("fast_scalp");
    expect((await rig.gate.process(entry({ worker: "fast_scalp", pocket: "scalp_fast" }))).reason).toBe("paused");
    expect((await rig.gate.process(entry({ worker: "operator" }))).outcome).toBe("accepted"); // operators are not paused
    expect((await rig.gate.process(entry({ pocket: "manual" }))).reason).toBe("manual_pocket");
    const [last] = await rig.journal.decisions.recent(1);
    expect(last).toMatchObject({ outcome: "skipped", reason: "manual_pocket" });
  });

  it("price age over GATE_MAX_PRICE_AGE_MS, not tradeable, spread over GATE_MAX_SPREAD_PIPS", async () => {
    rig = await startRig({ scenario: jpyScenario(), env: { GATE_MAX_PRICE_AGE_MS: "200", GATE_MAX_SPREAD_PIPS: "3" } });
    await delay(300);
    expect((await rig.gate.process(entry())).reason).toBe("price_stale");
    rig.sim.engine.setPrice({ instrument: "USD_JPY", bid: 155.0, ask: 155.05 });
    await rig.refreshPrices();
    const wide = await rig.gate.process(entry());
    expect(wide).toMatchObject({ reason: "spread", detail: { spreadPips: 5, limitPips: 3 } });
    rig.sim.engine.setPrice({ instrument: "USD_JPY", bid: 155.0, ask: 155.01, tradeable: false });
    await rig.refreshPrices();
    expect((await rig.gate.process(entry())).reason).toBe("not_tradeable");
  });

  it("pocket cooldown after a fill and the pocket's open-trade limit", async () => {
    rig = await startRig({ scenario: jpyScenario(), env: { POCKET_RULES: JSON.stringify({ micro: { cooldownSec: 60, maxOpenTrades: 6 }, scalp: { cooldownSec: 0, maxOpenTrades: 1 } }) } });
    expect((await rig.gate.process(entry({ worker: "micro_multistrat", pocket: "micro", proposedUnits: 1000 }))).orderStatus).toBe("filled");
    expect((await rig.gate.process(entry({ worker: "micro_multistrat", pocket: "micro", proposedUnits: 1000 }))).reason).toBe("pocket_cooldown");
    expect((await rig.gate.process(entry({ worker: "fast_scalp", pocket: "scalp", proposedUnits: 1000 }))).orderStatus).toBe("filled");
    await rig.sync.refresh();
    expect((await rig.gate.process(entry({ worker: "fast_scalp", pocket: "scalp", proposedUnits: 1000 }))).reason).toBe("pocket_max_trades");
  });
});
