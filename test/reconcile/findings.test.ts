// Issue 10's findings 1-5, each reproduced against a separate simulator acting as the broker
// (faults through its fault switch, as /sim/faults sets them) and shown fixed. Broker-side facts
// are read from the simulator's own ledger, never from sekisho's.
import { describe, expect, it, type OnTestFinishedHandler } from "vitest";
import { clientIdForSignal } from "../../src/core/client-id.ts";
import type { Signal } from "../../src/core/types.ts";
import { marginBudget } from "../../src/margin/model.ts";
import { brokerFacts, type LedgerRig, operatorSignal, startLedgerRig } from "../helpers/ledger-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { delay as sleep, waitUntil } from "../helpers/wait.ts";

// Each test has its own rig (its own simulator, journal and clock) and most of a test's time is a
// broker's hold, so the tests run concurrently: the holds overlap instead of adding up.
function closedAtEnd(onTestFinished: (fn: OnTestFinishedHandler) => void, r: LedgerRig): LedgerRig {
  onTestFinished(() => r.close());
  return r;
}

const signal = (r: LedgerRig, p: Partial<Signal>): Signal => operatorSignal(r, "f", p);
async function until(cond: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  await waitUntil(cond, { timeoutMs: ms, intervalMs: 50, message: "condition not met in time" });
}
const status = async (r: LedgerRig, clientId: string) => (await r.journal.orders.findByClientId(clientId))?.status;
/** Wait until the order's request is out (its row says submitted), then a moment for it to reach the broker. */
async function sent(r: LedgerRig, s: Signal): Promise<void> {
  await until(async () => (await status(r, clientIdForSignal(s.id))) === "submitted", 5_000);
  await sleep(150);
}
/** Move the clock on and bring prices and the account up to it (a fresh picture). */
async function later(r: LedgerRig, ms: number): Promise<void> {
  r.advance(ms);
  await r.refreshPrices();
  await r.p.sync.refresh();
}
const budgetOf = (r: LedgerRig) => marginBudget(r.sim.engine.numbers().nav, 0.92, 0.9);

describe.concurrent("finding 1: a late fill is never lost and the budget holds", () => {
  it("a buy the broker holds past the timeout keeps counting at full size; the next entry fits the worst case; the fill settles the row", async ({ onTestFinished }) => {
    const rig = closedAtEnd(onTestFinished, await startLedgerRig({ scenario: jpyScenario() }));
    const first = signal(rig, { side: "buy", proposedUnits: 40_000 });
    rig.sim.setFaults({ latencyMs: 8_000 });
    const pending = rig.p.gate.process(first);
    await sent(rig, first); // the POST is held by the broker; later requests are not
    rig.sim.setFaults({ latencyMs: 0 });
    expect(await pending).toMatchObject({ outcome: "accepted", orderStatus: "unknown", units: 40_000 });

    // Old behaviour: ~14 s later the row was "reconciled" and its units released.
    await later(rig, 20_000);
    await rig.p.gate.reconcile();
    expect(await status(rig, clientIdForSignal(first.id))).toBe("unknown");
    expect(rig.p.account.reservations()).toMatchObject([{ clientId: clientIdForSignal(first.id), units: 40_000, fateUnknown: true }]);

    const budget = budgetOf(rig);
    const second = await rig.p.gate.process(signal(rig, { side: "buy", proposedUnits: 40_000 }));
    expect(second.outcome).toBe("accepted");
    expect(second.units!).toBeLessThan(40_000); // sized as if the held order had filled

    await until(async () => (await status(rig, clientIdForSignal(first.id))) === "filled");
    expect(rig.sim.engine.numbers().marginUsed).toBeLessThanOrEqual(budget);
    expect(rig.alerts.filter((a) => a.kind === "late_fill")).toEqual([]); // settled in time: not late
    expect([...brokerFacts(rig.sim).ordersByClientId().values()].every((c) => c === 1)).toBe(true);
  });

  it("a buy held until the gate has nothing to spare waits with reason fate_unknown", async ({ onTestFinished }) => {
    const rig = closedAtEnd(onTestFinished, await startLedgerRig({ scenario: jpyScenario() }));
    rig.sim.setFaults({ latencyMs: 6_000 });
    const big = signal(rig, { side: "buy", proposedUnits: 200_000 }); // sized to the whole budget
    const pending = rig.p.gate.process(big);
    await sent(rig, big);
    rig.sim.setFaults({ latencyMs: 0 });
    expect((await pending).orderStatus).toBe("unknown");
    const d = await rig.p.gate.process(signal(rig, { side: "buy", proposedUnits: 20_000 }));
    expect(d).toMatchObject({ outcome: "skipped", reason: "fate_unknown" });
  });

  it("a fill after the row was given up as never executed is a late fill: filled, position follows, alerted", async ({ onTestFinished }) => {
    // A horizon far too short for this broker, so the late fill happens.
    const rig = closedAtEnd(onTestFinished, await startLedgerRig({ scenario: jpyScenario(), env: { ORDER_FATE_HORIZON_SEC: "1" } }));
    const s = signal(rig, { side: "buy", proposedUnits: 30_000 });
    rig.sim.setFaults({ latencyMs: 6_000 });
    const pending = rig.p.gate.process(s);
    await sent(rig, s);
    rig.sim.setFaults({ latencyMs: 0 });
    await pending;
    await later(rig, 2_000);
    await rig.p.gate.reconcile();
    const clientId = clientIdForSignal(s.id);
    expect(await status(rig, clientId)).toBe("reconciled");

    await until(async () => (await status(rig, clientId)) === "filled");
    const row = await rig.journal.orders.findByClientId(clientId);
    expect(row).toMatchObject({ filledUnits: 30_000 });
    expect(row!.note).toMatch(/late fill/);
    expect(rig.alerts).toMatchObject([{ kind: "late_fill", clientId, units: 30_000 }]);
    const decisions = await rig.journal.decisions.recent(10);
    expect(decisions.find((d) => d.reason === "late_fill")).toMatchObject({ outcome: "error", clientId, signalId: s.id });
    await rig.p.sync.refresh();
    expect(rig.p.account.position("USD_JPY").long).toBe(30_000);
    expect(rig.p.account.reservations()).toEqual([]);
  });

  it("killed during a held POST and restarted at once: the order is not marked never executed, it counts, and its fill settles it", async ({ onTestFinished }) => {
    const rig = closedAtEnd(onTestFinished, await startLedgerRig({ scenario: jpyScenario() }));
    const s = signal(rig, { side: "buy", proposedUnits: 40_000 });
    const clientId = clientIdForSignal(s.id);
    // The process journaled the intent, wrote the request, and died.
    await rig.journal.orders.insertIntent({ clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: s.instrument, side: s.side, requestedUnits: 40_000, reduceOnly: false, positionFill: "OPEN_ONLY" });
    await rig.journal.orders.advance(clientId, "submitted");
    rig.sim.setFaults({ latencyMs: 5_000 });
    const dying = AbortSignal.timeout(1_000);
    void rig.client.submitMarketOrder({ clientId, instrument: "USD_JPY", side: "buy", units: 40_000, timeInForce: "FOK", positionFill: "OPEN_ONLY", tag: "sekisho:macro:test", comment: "" }, dying).catch(() => {});
    await sleep(500);
    rig.sim.setFaults({ latencyMs: 0 });
    const p = await rig.restart();
    expect(await status(rig, clientId)).toBe("submitted");
    expect(p.account.reservations()).toMatchObject([{ clientId, units: 40_000, fateUnknown: true }]);
    const budget = budgetOf(rig);
    const second = await p.gate.process(signal(rig, { side: "buy", proposedUnits: 40_000 }));
    expect(second.units ?? 0).toBeLessThan(40_000);
    await until(async () => (await status(rig, clientId)) === "filled");
    expect(rig.sim.engine.numbers().marginUsed).toBeLessThanOrEqual(budget);
  });
});

describe.concurrent("finding 2: a reduce-only order never grows exposure", () => {
  it("an entry of unknown fate, lookups and refreshes failing, the stream stalled: the reduction waits (fate_unknown), then account_stale", async ({ onTestFinished }) => {
    const rig = closedAtEnd(onTestFinished, await startLedgerRig({ scenario: jpyScenario({ positions: [{ long: 20_000, short: 0 }] }) }));
    rig.sim.setFaults({ ghostFill: 1, stallStream: true });
    const entrySignal = signal(rig, { side: "sell", proposedUnits: 30_000 });
    const pending = rig.p.gate.process(entrySignal);
    await sent(rig, entrySignal); // executed at the broker, its answer withheld; now every request fails
    rig.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    expect((await pending).orderStatus).toBe("unknown");
    const broker = () => { const p = rig.sim.engine.openTrades(); return p.reduce((n, t) => n + t.currentUnits, 0); };
    expect(broker()).toBe(-10_000); // the broker is net short; the gate's picture says +20,000

    const reduce = await rig.p.gate.process(signal(rig, { side: "sell", reduceOnly: true, proposedUnits: 20_000 }));
    expect(reduce).toMatchObject({ outcome: "skipped", reason: "fate_unknown" });

    rig.advance(60_000); // no refresh can succeed: the account picture grows old
    const tick = rig.p.market.latest("USD_JPY")!;
    rig.p.market.onTick({ ...tick, time: tick.time + 60_000, receivedAt: rig.clock.now() });
    const stale = await rig.p.gate.process(signal(rig, { side: "sell", reduceOnly: true, proposedUnits: 20_000 }));
    expect(stale).toMatchObject({ outcome: "skipped", reason: "account_stale" });
    expect(broker()).toBe(-10_000);

    rig.sim.setFaults({ errorRate: 0, stallStream: false });
    await rig.settleLedger();
    await rig.p.sync.refresh();
    // The ledger proved the fill: the picture is the broker's, and reduce-only goes the right way.
    expect(rig.p.account.reservations()).toEqual([]);
    expect(await rig.p.gate.process(signal(rig, { side: "sell", reduceOnly: true, proposedUnits: 5_000 }))).toMatchObject({ reason: "reduce_only_direction" });
    expect(await rig.p.gate.process(signal(rig, { side: "buy", reduceOnly: true, proposedUnits: 4_000 }))).toMatchObject({ orderStatus: "filled", units: 4_000 });
    expect(broker()).toBe(-6_000);
  });
});

/** A manual trade first in FIFO line, then sekisho's own: reductions go trade by trade. */
async function manualFirst(r: LedgerRig, ownUnits: number): Promise<void> {
  expect((await r.p.gate.process(signal(r, { side: "buy", proposedUnits: ownUnits }))).orderStatus).toBe("filled");
  await r.p.sync.refresh();
}

describe.concurrent("finding 3: the signal id is the idempotency key of every leg", () => {
  it("after a restart the same operator id closes nothing more", async ({ onTestFinished }) => {
    const rig = closedAtEnd(onTestFinished, await startLedgerRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0, tag: null }] }) }));
    await manualFirst(rig, 10_000);
    const close = signal(rig, { id: "op-close-1", side: "sell", reduceOnly: true, proposedUnits: 5_000 });
    expect(await rig.p.gate.process(close)).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    const legs = await rig.journal.orders.findBySignalId("op-close-1");
    expect(legs.map((l) => l.clientId)).toEqual([expect.stringMatching(/^sk-op-close-1-t\d+$/)]);
    const p = await rig.restart();
    await rig.refreshPrices();
    expect(await p.gate.process({ ...close, createdAt: rig.clock.now() })).toMatchObject({ outcome: "skipped", reason: "duplicate_signal" });
    const own = rig.sim.engine.openTrades().filter((t) => t.clientExtensions?.tag?.startsWith("sekisho"));
    expect(own.map((t) => t.currentUnits)).toEqual([5_000]);
  });
});

describe.concurrent("finding 4: a close is matched by its own request", () => {
  it("a close that never executed (503) is not settled with another close of the same trade", async ({ onTestFinished }) => {
    const rig = closedAtEnd(onTestFinished, await startLedgerRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0, tag: null }] }) }));
    await manualFirst(rig, 10_000);
    rig.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    const a = signal(rig, { side: "sell", reduceOnly: true, proposedUnits: 5_000 });
    const da = await rig.p.gate.process(a);
    rig.sim.setFaults({ errorRate: 0 });
    const [legA] = await rig.journal.orders.findBySignalId(a.id);
    expect(da.outcome).toBe("accepted");
    expect(legA!.status).toBe("unknown"); // a 5xx says nothing certain about the request

    // While A's fate is unknown, its trade is not closed again (the two could not be told apart).
    await rig.p.sync.refresh();
    expect(await rig.p.gate.process(signal(rig, { side: "sell", reduceOnly: true, proposedUnits: 3_000 }))).toMatchObject({ reason: "fate_unknown" });
    await later(rig, 121_000);
    await rig.p.gate.reconcile();
    expect(await status(rig, legA!.clientId)).toBe("reconciled");
    const b = await rig.p.gate.process(signal(rig, { side: "sell", reduceOnly: true, proposedUnits: 3_000 }));
    expect(b).toMatchObject({ orderStatus: "filled", units: 3_000 });
    await rig.settleLedger();
    await rig.p.gate.reconcile();
    expect(await status(rig, legA!.clientId)).not.toBe("filled");
    const closes = (await rig.journal.orders.list({ limit: 50 })).rows.filter((r) => r.positionFill === "TRADE_CLOSE" && r.status === "filled");
    const brokerClosed = brokerFacts(rig.sim).fills.filter((f) => f.reason === "MARKET_ORDER_TRADE_CLOSE").reduce((n, f) => n + Math.abs(Number(f.units)), 0);
    expect(closes.reduce((n, r) => n + (r.filledUnits ?? 0), 0)).toBe(brokerClosed);
    expect(brokerClosed).toBe(3_000);
  });
});

describe.concurrent("the ledger itself", () => {
  it("stores every transaction once across a restart, with manual trades recorded as manual", async ({ onTestFinished }) => {
    const rig = closedAtEnd(onTestFinished, await startLedgerRig({ scenario: jpyScenario() }));
    await rig.p.gate.process(signal(rig, { side: "buy", proposedUnits: 5_000 }));
    // A person trades the account directly (no sekisho client id).
    await rig.client.submitMarketOrder({ clientId: "my-own-1", instrument: "USD_JPY", side: "sell", units: 2_000, timeInForce: "FOK", positionFill: "DEFAULT", tag: "manual", comment: "" });
    await rig.settleLedger();
    const p = await rig.restart();
    await p.gate.process(signal(rig, { side: "buy", proposedUnits: 1_000 }));
    await rig.settleLedger();
    const stored = await rig.journal.transactions.since(0, 10_000);
    const broker = rig.sim.engine.transactions().map((t) => Number(t.id));
    const from = stored[0]!.id;
    expect(stored.map((t) => t.id)).toEqual(broker.filter((id) => id >= from));
    expect(await rig.journal.transactions.cursor(rig.sim.accountId)).toBe(Math.max(...broker));
    expect(rig.alerts.filter((a) => a.kind === "manual").map((a) => a.clientId)).toEqual(["my-own-1"]);
    expect(rig.alerts.filter((a) => a.kind !== "manual")).toEqual([]);
  });
});
