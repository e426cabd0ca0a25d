// The gate's rehearsal (src/gate/rehearsal.ts): fast_scalp's next entry decided as far as its
// request's bytes while the gate waits, so the real one runs warm. What a trader needs of it: it
// decides exactly as the gate would, and it never writes, sends, reserves or publishes anything.
// Against the simulator over loopback, with the journal opened as the agent opens it (intent log).
import { statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { entry, jpyScenario, type Rig, startRig } from "../helpers/trading-rig.ts";
import { intentLogPath } from "../../src/store/intent-log.ts";
import type { OrderEvent } from "../../src/core/order-events.ts";
import type { Signal } from "../../src/core/types.ts";
import { waitUntil } from "../helpers/wait.ts";
import { SignalBus } from "../../src/bus/signal-bus.ts";
import { wallClock } from "../../src/core/types.ts";
import { GateRehearsal } from "../../src/gate/rehearsal.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Orders the broker received (its MARKET_ORDER transactions): counted at the broker, not in our journal. */
const brokerOrders = (r: Rig) => r.sim.engine.transactions().filter((t) => t.type === "MARKET_ORDER").length;
const journalRows = async (r: Rig) => Object.values(await r.journal.orders.countByStatus()).reduce((a, b) => a + b, 0);
const intentLogBytes = (r: Rig) => statSync(intentLogPath(r.dbPath)).size;

describe("Gate.rehearse", () => {
  it("builds the order's intent line and request, and writes, sends, reserves and publishes nothing", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    await rig.refreshPrices();
    const events: OrderEvent[] = [];
    rig.gate.subscribe((e) => events.push(e));
    const sent = rig.client.http.requestsSent;
    const s = entry({ worker: "fast_scalp", pocket: "scalp_fast", proposedUnits: 2_000, attachSlTp: true, tpPips: 3, slPips: 4 });
    for (let i = 0; i < 50; i++) {
      const r = rig.gate.rehearse(s);
      if (r.reached !== "request") throw new Error(`rehearsal stopped at ${JSON.stringify(r)}`);
      // It got as far as the bytes: the intent's line (with the request in it) and the HTTP request.
      expect(r.intentBytes).toBeGreaterThan(200);
      expect(r.requestBytes).toBeGreaterThan(200);
      expect(r.request).toMatchObject({ units: 2_000, side: "buy", instrument: "USD_JPY" });
    }
    expect(brokerOrders(rig)).toBe(0);
    expect(rig.client.http.requestsSent).toBe(sent);
    expect(await journalRows(rig)).toBe(0);
    expect(intentLogBytes(rig)).toBe(0);
    expect(rig.account.reservations()).toEqual([]);
    expect(events).toEqual([]);
    // The same signal then decided for real: one order, one row, as if nothing had been rehearsed.
    const d = await rig.gate.process(s);
    expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled", units: 2_000 });
    expect(brokerOrders(rig)).toBe(1);
    expect(await journalRows(rig)).toBe(1);
  });

  it("stops where the decision would: a skip is named, and nothing is sized past it", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    await rig.refreshPrices();
    expect(rig.gate.rehearse(entry({ createdAt: Date.now() - 60_000, ttlMs: 1_000 }))).toEqual({ reached: "skip", reason: "signal_stale" });
    expect(rig.gate.rehearse(entry({ instrument: "EUR_USD" }))).toEqual({ reached: "skip", reason: "no_price" });
    rig.gate.controls.kill(false, Date.now());
    expect(rig.gate.rehearse(entry())).toEqual({ reached: "skip", reason: "kill_switch" });
    expect(brokerOrders(rig)).toBe(0);
  });

  it("near the loss-cut: refused by the closeout guard as the decision is, and the guard (engaged state, its time, its alerts) left as it was", async () => {
    // A long 50,000 USD/JPY on 500,000 JPY: ~396 pips from the loss-cut; the guard engages inside 400.
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 50_000, short: 0 }] }), env: { CLOSEOUT_GUARD_PIPS: "400", CLOSEOUT_GUARD_TARGET_PIPS: "400" } });
    await rig.refreshPrices();
    const guard = rig.kernel.closeoutGuard;
    const seeded = brokerOrders(rig); // the scenario's position
    const now = rig.account.closeoutReport()!.account;
    expect(now.pips!).toBeLessThan(400);
    // The guard last judged other figures (between account reads the prices behind the report
    // move, e.g. a conversion): not engaged.
    guard.update({ ...now, pips: 1_000 }, Date.now() - 60_000);
    const before = { verdict: guard.verdict, since: guard.since, engaged: guard.engaged };
    expect(before.engaged).toBe(false);
    for (let i = 0; i < 10; i++) expect(rig.gate.rehearse(entry())).toEqual({ reached: "skip", reason: "closeout_guard" });
    expect(guard.verdict).toBe(before.verdict);
    expect({ verdict: guard.verdict, since: guard.since, engaged: guard.engaged }).toEqual(before);
    // The real decision is what engages it (and what would alert).
    expect(await rig.gate.process(entry())).toMatchObject({ outcome: "skipped", reason: "closeout_guard" });
    expect(guard.engaged).toBe(true);
    expect(brokerOrders(rig)).toBe(seeded);
  });

  it("a rehearsed entry is the order the gate then sends, and rehearsals change no decision (property)", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "net" }), env: { MARGIN_MODEL: "net", POCKET_RULES: JSON.stringify({ macro: { cooldownSec: 0 } }) } });
    const r = rig;
    let orders = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ side: fc.constantFrom("buy" as const, "sell" as const), units: fc.integer({ min: 1_000, max: 80_000 }), rehearsals: fc.integer({ min: 0, max: 5 }) }), { minLength: 3, maxLength: 8 }),
        async (wishes) => {
          for (const w of wishes) {
            await r.refreshPrices();
            const s: Signal = entry({ side: w.side, proposedUnits: w.units });
            let rehearsed = r.gate.rehearse(s);
            for (let i = 1; i < w.rehearsals; i++) rehearsed = r.gate.rehearse(s);
            const rows = await journalRows(r);
            const d = await r.gate.process(s);
            if (rehearsed.reached === "request") {
              // Same decision, same order: the units, the bounds, the client id.
              expect(d.outcome).toBe("accepted");
              expect(d.units).toBe(rehearsed.request.units);
              expect(d.clientId).toBe(rehearsed.request.clientId);
              const row = await r.journal.orders.findByClientId(rehearsed.request.clientId);
              expect(JSON.parse(row!.requestJson!)).toEqual(JSON.parse(JSON.stringify(rehearsed.request)));
              orders++;
            } else {
              expect(rehearsed.reached).toBe("skip");
              expect(d).toMatchObject({ outcome: "skipped", reason: (rehearsed as { reason: string }).reason });
              expect(await journalRows(r)).toBe(rows);
            }
            // The broker got exactly the orders the gate decided on: none from a rehearsal.
            expect(brokerOrders(r)).toBe(orders);
            await r.sync.refresh();
          }
        },
      ),
      { numRuns: 6 },
    );
    expect(orders).toBeGreaterThan(0);
  });
});

/** fast_scalp on, a price in market state, and (unless `run` is false) the gate's loop waiting on the bus. */
async function fastScalpRig(run = true) {
  rig = await startRig({ scenario: jpyScenario(), env: { FAST_SCALP_ENABLED: "1", FAST_SCALP_UNITS: "1000" } });
  await rig.refreshPrices();
  const { kernel } = rig;
  return { kernel, rehearsal: kernel.rehearsal!, loop: run ? kernel.gate.run(kernel.bus) : undefined };
}

describe("GateRehearsal: when the live node rehearses (the kernel's, called after each tick)", () => {
  it("only while the gate waits and fast_scalp trades; buy and sell in turn; a decision under way is never joined", async () => {
    const { kernel, rehearsal } = await fastScalpRig(false);
    // No gate loop waiting on the bus yet: nothing is rehearsed.
    expect(rehearsal.rehearseNow("USD_JPY")).toBeUndefined();
    const loop = kernel.gate.run(kernel.bus);
    const a = rehearsal.rehearseNow("USD_JPY");
    const b = rehearsal.rehearseNow("USD_JPY");
    if (a?.reached !== "request" || b?.reached !== "request") throw new Error(`not rehearsed to the request: ${JSON.stringify([a, b])}`);
    expect([a.request.side, b.request.side]).toEqual(["buy", "sell"]);
    expect(a.request).toMatchObject({ units: 1_000, comment: expect.stringContaining("fast_scalp") });
    // A signal handed to the gate: while it is being decided, nothing is rehearsed.
    kernel.bus.publish(entry({ proposedUnits: 1_000 }));
    expect(rehearsal.rehearseNow("USD_JPY")).toBeUndefined();
    await Promise.resolve();
    expect(rehearsal.rehearseNow("USD_JPY")).toBeUndefined();
    await waitUntil(() => brokerOrders(rig!) === 1 && kernel.bus.consumerWaiting, { timeoutMs: 5_000, intervalMs: 5, message: "the operator's order was not decided" });
    expect(rehearsal.rehearseNow("USD_JPY")?.reached).toBe("request");
    // fast_scalp paused by the operator: its entries are not rehearsed.
    kernel.gate.controls.pause("fast_scalp");
    expect(rehearsal.rehearseNow("USD_JPY")).toBeUndefined();
    kernel.bus.close();
    await loop;
    expect(brokerOrders(rig!)).toBe(1);
    expect(await journalRows(rig!)).toBe(1);
  });

  it("after the ticks of one turn: at most one rehearsal, and none once a later tick of the turn published a signal", async () => {
    const { kernel, rehearsal, loop } = await fastScalpRig();
    const microtasks = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    // Three ticks in one chunk: nothing runs inside the chunk, one rehearsal after it.
    rehearsal.afterTick("USD_JPY");
    rehearsal.afterTick("USD_JPY");
    rehearsal.afterTick("USD_JPY");
    expect(rehearsal.runs).toBe(0);
    await microtasks();
    expect(rehearsal.runs).toBe(1);
    // A tick without a signal, then one with: the signal goes to the gate and no rehearsal runs ahead of it.
    rehearsal.afterTick("USD_JPY");
    kernel.bus.publish(entry({ proposedUnits: 1_000 }));
    await microtasks();
    expect(rehearsal.runs).toBe(1);
    await waitUntil(() => brokerOrders(rig!) === 1 && kernel.bus.consumerWaiting, { timeoutMs: 5_000, intervalMs: 5, message: "the operator's order was not decided" });
    kernel.bus.close();
    await loop;
  });

  it("on the timer (GATE_REHEARSAL_EVERY_MS): the last tick's instrument, unless a rehearsal ran in the last half period", async () => {
    const { kernel, rehearsal, loop } = await fastScalpRig();
    // No tick seen yet: nothing to rehearse.
    expect(rehearsal.onTimer(2)).toBeUndefined();
    rehearsal.afterTick("USD_JPY");
    await Promise.resolve();
    expect(rehearsal.runs).toBe(1);
    // A rehearsal ran just now: a 1 s timer's turn adds none.
    expect(rehearsal.onTimer(1_000)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 5));
    expect(rehearsal.onTimer(2)).toMatchObject({ reached: "request" });
    expect(rehearsal.runs).toBe(2);
    kernel.bus.close();
    await loop;
    expect(brokerOrders(rig!)).toBe(0);
  });

  it("a rehearsal that fails with an error is counted each time and logged once", () => {
    const bus = new SignalBus({ capacity: 4, clock: wallClock });
    void bus.next(); // the gate's loop, waiting
    const warnings: object[] = [];
    const reached: string[] = [];
    const rehearsal = new GateRehearsal({
      gate: { rehearse: () => ({ reached: "error", error: "Error: boom" }) }, bus, active: () => true, signal: () => entry(),
      metrics: { rehearsal: (r) => void reached.push(r) }, log: { warn: (o) => void warnings.push(o) },
    });
    rehearsal.rehearseNow("USD_JPY");
    rehearsal.rehearseNow("USD_JPY");
    expect(reached).toEqual(["error", "error"]);
    expect(warnings).toEqual([{ event: "rehearsal_error", instrument: "USD_JPY", error: "Error: boom" }]);
    bus.close();
  });

  it("GATE_REHEARSAL=0: the kernel has none", async () => {
    rig = await startRig({ scenario: jpyScenario(), env: { GATE_REHEARSAL: "0" } });
    expect(rig.kernel.rehearsal).toBeUndefined();
  });
});
