// A stop loss the broker fills is in the agent's position as soon as the ledger has it, not one
// account refresh later: a reduce-only order sized in between on the old position could take a
// hedged account past flat (found against a separate simulator: long 30,000 of which 15,000 with
// a tight stop, short 20,000; the stop filled, and a REDUCE_ONLY sell of 10,000 sized on net
// +10,000 took the true net from -5,000 to -15,000). Against the simulator, with every REST
// request failing after the price move so no refresh can tell the agent.
import { afterEach, describe, expect, it } from "vitest";
import type { Signal } from "../../src/core/types.ts";
import { brokerFacts, type LedgerRig, operatorSignal, startLedgerRig } from "../helpers/ledger-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { waitUntil } from "../helpers/wait.ts";

let rig: LedgerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const signal = (r: LedgerRig, p: Partial<Signal>): Signal => operatorSignal(r, "bx", p);

describe("a broker exit moves the position at once", () => {
  it("a stop loss filled while no refresh can succeed: the reduce-only sell sized on the old net is refused, |net| stays", async () => {
    rig = await startLedgerRig({ scenario: jpyScenario({ marginModel: "max_side" }) });
    const r = rig;
    await r.refreshPrices();
    for (const p of [{ side: "buy", proposedUnits: 15_000, slPips: 3 }, { side: "buy", proposedUnits: 15_000 }, { side: "sell", proposedUnits: 20_000 }] as const) {
      expect((await r.p.gate.process(signal(r, { ...p, attachSlTp: true }))).orderStatus).toBe("filled");
    }
    await r.p.sync.refresh();
    expect(r.p.account.position("USD_JPY")).toEqual({ long: 30_000, short: 20_000 });

    // Every REST request fails from now on (the refresh the fill calls for too); the stream still flows.
    r.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    await fetch(`${r.sim.restUrl}/sim/price`, { method: "POST", body: JSON.stringify({ instrument: "USD_JPY", bid: 154.95, ask: 154.954 }) });
    await waitUntil(() => brokerFacts(r.sim).fills.some((f) => f.reason === "STOP_LOSS_ORDER"), { timeoutMs: 5_000, intervalMs: 20, message: "the stop loss to fill" });
    const stop = Number(brokerFacts(r.sim).fills.find((f) => f.reason === "STOP_LOSS_ORDER")!.id);
    // The ledger has stored and attributed it (from the stream); no refresh has succeeded.
    await waitUntil(() => (r.p.ledger.state().cursor ?? 0) >= stop, { timeoutMs: 5_000, intervalMs: 20, message: "the ledger to take the stop loss" });
    expect(r.p.account.position("USD_JPY")).toEqual({ long: 15_000, short: 20_000 });

    const tick = r.p.market.latest("USD_JPY")!;
    r.p.market.onTick({ ...tick, bid: 154.95, ask: 154.954, receivedAt: r.clock.now() });
    const d = await r.p.gate.process(signal(r, { side: "sell", reduceOnly: true, proposedUnits: 10_000 }));
    expect(d).toMatchObject({ outcome: "skipped", reason: "reduce_only_direction" });
    r.sim.setFaults({ errorRate: 0 });
    const net = r.sim.engine.openTrades().reduce((n, t) => n + t.currentUnits, 0);
    expect(net).toBe(-5_000);
    // The refresh, once it succeeds, agrees: the exit is not applied twice.
    await r.p.sync.refresh();
    expect(r.p.account.position("USD_JPY")).toEqual({ long: 15_000, short: 20_000 });
  }, 20_000);
});
