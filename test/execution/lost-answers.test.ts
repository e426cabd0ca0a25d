// Execution against the simulator over real HTTP, with a real journal: a request whose answer
// was lost, a crash between intent and answer, a fill settled twice. Never sent twice, never lost.
import { afterEach, describe, expect, it } from "vitest";
import { entry, jpyScenario, type Rig, startRig } from "../helpers/trading-rig.ts";
import { clientIdForSignal } from "../../src/core/client-id.ts";
import { delay } from "../helpers/wait.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("a lost answer is looked up, never resent", () => {
  it("ghost fill: executed but the response is lost -> exactly one order at the broker, the journal says filled", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    rig.sim.setFaults({ ghostFill: 1 });
    const s = entry({ side: "buy", proposedUnits: 20_000 });
    const events: string[] = [];
    rig.gate.subscribe((e) => events.push(e.type));
    const d = await rig.gate.process(s);
    // What the account state and the workers follow: counted before the request left, at full
    // size while the answer was lost, then the fill and the release, then the signal's outcome.
    expect(events).toEqual(["reserved", "fate_unknown", "filled", "released", "signal_settled"]);
    expect(d.outcome).toBe("accepted");
    expect(d.orderStatus).toBe("filled");
    const row = await rig.journal.orders.findByClientId(clientIdForSignal(s.id));
    expect(row?.status).toBe("filled");
    expect(row?.unknownAt).not.toBeNull(); // it went through `unknown` first
    const found = await rig.client.lookupOrderByClientId(clientIdForSignal(s.id));
    expect(found.found && found.state).toBe("FILLED");
    const pos = (await rig.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.long).toBe(20_000);
  });

  it("a trade close whose answer is lost is settled from the fills since, and sent only once", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0, tag: null }] }) });
    expect((await rig.gate.process(entry({ side: "buy", proposedUnits: 10_000 }))).orderStatus).toBe("filled");
    await rig.sync.refresh();
    await rig.refreshPrices();
    rig.sim.setFaults({ ghostFill: 1 });
    const d = await rig.gate.process(entry({ side: "sell", reduceOnly: true, proposedUnits: 10_000 }));
    expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    const [row] = (await rig.journal.orders.list({ limit: 5 })).rows.filter((r) => r.positionFill === "TRADE_CLOSE");
    expect(row).toMatchObject({ status: "filled", filledUnits: 10_000 });
    expect(row!.unknownAt).not.toBeNull();
    const trades = await rig.client.openTrades();
    expect(trades.map((t) => t.units)).toEqual([30_000]);
  });
});

describe("a restart settles what was unsettled", () => {
  it("killed after the intent was written, restarted: counted at full size until the fate horizon, then reconciled; no order is sent", async () => {
    rig = await startRig({ scenario: jpyScenario(), env: { ORDER_FATE_HORIZON_SEC: "1" } });
    const s = entry({ side: "sell", proposedUnits: 15_000 });
    const clientId = clientIdForSignal(s.id);
    await rig.journal.orders.insertIntent({ clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: s.instrument, side: s.side, requestedUnits: 15_000, reduceOnly: false, positionFill: "OPEN_ONLY" });
    const gate = await rig.restartGate();
    // Just written: the broker might still execute it, so it stays and counts as a short.
    expect((await rig.journal.orders.findByClientId(clientId))?.status).toBe("intent");
    expect(rig.account.reservations().find((r) => r.clientId === clientId)).toMatchObject({ units: 15_000, side: "sell", fateUnknown: true });
    await delay(1600); // the horizon is at least ORDER_TIMEOUT_MS (1.5 s in the rig)
    await gate.reconcile();
    const row = await rig.journal.orders.findByClientId(clientId);
    expect(row?.status).toBe("reconciled");
    expect(rig.account.reservations()).toEqual([]);
    const pos = (await rig.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.short ?? 0).toBe(0);
    // The same signal again is refused by the broker as a duplicate client id? No: it was never
    // sent, and the journal row is settled; a replayed signal id makes no second intent row.
    const again = await rig.journal.orders.insertIntent({ clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: s.instrument, side: s.side, requestedUnits: 15_000, reduceOnly: false, positionFill: "OPEN_ONLY" });
    expect((again as { status: string }).status).toBe("reconciled");
  });

  it("killed after the order left but before the answer was journaled: restart settles it as filled, one order only", async () => {
    rig = await startRig({ scenario: jpyScenario() });
    const s = entry({ side: "buy", proposedUnits: 12_000 });
    const clientId = clientIdForSignal(s.id);
    await rig.journal.orders.insertIntent({ clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: s.instrument, side: s.side, requestedUnits: 12_000, reduceOnly: false, positionFill: "OPEN_ONLY" });
    await rig.journal.orders.advance(clientId, "submitted");
    await rig.client.submitMarketOrder({ clientId, instrument: "USD_JPY", side: "buy", units: 12_000, timeInForce: "FOK", positionFill: "OPEN_ONLY", tag: "sekisho:macro:test", comment: "" });
    await rig.restartGate();
    const row = await rig.journal.orders.findByClientId(clientId);
    expect(row?.status).toBe("filled");
    expect(row?.filledUnits).toBe(12_000);
    const pos = (await rig.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.long).toBe(12_000);
  });

  it("a fill settled again by restart reconciliation does not move the local position twice", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 20_000, short: 0 }] }) });
    const s = entry({ side: "sell", reduceOnly: true, proposedUnits: 10_000 });
    const clientId = clientIdForSignal(s.id);
    await rig.journal.orders.insertIntent({ clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: s.instrument, side: "sell", requestedUnits: 10_000, reduceOnly: true, positionFill: "REDUCE_ONLY" });
    await rig.client.submitMarketOrder({ clientId, instrument: "USD_JPY", side: "sell", units: 10_000, timeInForce: "FOK", positionFill: "REDUCE_ONLY", tag: "sekisho:macro:test", comment: "" });
    await rig.sync.refresh(); // the snapshot already contains the fill
    await rig.restartGate(); // reconciliation settles the same fill
    expect(rig.account.position("USD_JPY").long).toBe(10_000);
    expect((await rig.journal.orders.findByClientId(clientId))?.status).toBe("filled");
  });
});
