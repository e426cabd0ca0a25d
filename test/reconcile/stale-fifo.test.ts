// OANDA closes a position oldest trade first (FIFO), so sekisho plans a close from the open
// trades it last read. Found against a separate simulator: a take profit closed one of sekisho's
// longs, and a hedge-lock unwind planned on the trades read before it (the closed trade still
// listed, first in line) went as one position close whose units reached the person's manual long
// behind it: 10,000 of a manual 20,000 closed. The position follows the exit at once (the
// ledger); the trades list only at the next refresh. Until the two add up, no FIFO plan is made.
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

const signal = (r: LedgerRig, p: Partial<Signal>): Signal => operatorSignal(r, "sf", p);
const unwind = (r: LedgerRig, units: number) => signal(r, { side: "sell", reduceOnly: true, proposedUnits: 2 * units, meta: { pairClose: { long: units, short: units, equal: true } } });

describe("a FIFO plan needs trades that add up to the position", () => {
  it("a take profit closed sekisho's first long: the unwind waits for the refresh and never reaches the manual trade", async () => {
    rig = await startLedgerRig({ scenario: jpyScenario({ marginModel: "max_side" }) });
    const r = rig;
    await r.refreshPrices();
    // sekisho long 10,000 (3-pip take profit) and long 10,000, a person's long 20,000, sekisho short 20,000.
    expect((await r.p.gate.process(signal(r, { side: "buy", proposedUnits: 10_000, tpPips: 3, attachSlTp: true }))).orderStatus).toBe("filled");
    expect((await r.p.gate.process(signal(r, { side: "buy", proposedUnits: 10_000 }))).orderStatus).toBe("filled");
    await r.client.submitMarketOrder({ clientId: "person-1", instrument: "USD_JPY", side: "buy", units: 20_000, timeInForce: "FOK", positionFill: "DEFAULT", tag: "mine", comment: "" });
    expect((await r.p.gate.process(signal(r, { side: "sell", proposedUnits: 20_000 }))).orderStatus).toBe("filled");
    await r.p.sync.refresh();

    // Every REST answer now takes 300 ms (the refresh the exit calls for too); the stream does not wait.
    r.sim.setFaults({ latencyMs: 300 });
    await fetch(`${r.sim.restUrl}/sim/price`, { method: "POST", body: JSON.stringify({ instrument: "USD_JPY", bid: 155.05, ask: 155.054 }) });
    const tp = () => brokerFacts(r.sim).fills.find((f) => f.reason === "TAKE_PROFIT_ORDER");
    await waitUntil(() => tp() !== undefined, { timeoutMs: 5_000, intervalMs: 10, message: "the take profit to fill" });
    await waitUntil(() => (r.p.ledger.state().cursor ?? 0) >= Number(tp()!.id), { timeoutMs: 5_000, intervalMs: 10, message: "the ledger to take it" });
    const tick = r.p.market.latest("USD_JPY")!;
    r.p.market.onTick({ ...tick, bid: 155.05, ask: 155.054, receivedAt: r.clock.now() });
    expect(await r.p.gate.process(unwind(r, 20_000))).toMatchObject({ outcome: "skipped", reason: "account_stale" });

    // Once refreshed, the unwind takes sekisho's own 10,000 a side; the manual trade is untouched.
    r.sim.setFaults({ latencyMs: 0 });
    await r.p.sync.refresh();
    expect(await r.p.gate.process(unwind(r, 20_000))).toMatchObject({ outcome: "accepted", orderStatus: "filled", units: 20_000 });
    const open = r.sim.engine.openTrades().map((t) => [t.currentUnits, t.clientExtensions?.tag]);
    expect(open).toEqual([[20_000, "mine"], [-10_000, expect.stringMatching(/^sekisho:/)]]);
  }, 20_000);
});
