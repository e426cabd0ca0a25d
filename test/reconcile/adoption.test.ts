// Adoption: an order sekisho sent (its client id starts with `sk-`) whose journal row is missing
// (a power cut under JOURNAL_SYNCHRONOUS=normal can take the last commits after the request left)
// is written back into the journal from the broker's ledger, settled by its fill or cancel, and
// alerted. The broker is a separate simulator; the order reaches it without a journal row, as
// after a crash that lost the row once the request was sent.
import { afterEach, describe, expect, it } from "vitest";
import type { MarketOrderRequest } from "../../src/core/orders.ts";
import type { Signal } from "../../src/core/types.ts";
import { brokerFacts, type LedgerRig, startLedgerRig } from "../helpers/ledger-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";

let rig: LedgerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const order = (clientId: string, p: Partial<MarketOrderRequest> = {}): MarketOrderRequest => ({
  clientId, instrument: "USD_JPY", side: "buy", units: 7_000, timeInForce: "FOK", positionFill: "OPEN_ONLY",
  tag: "sekisho:micro:range_break", comment: "", ...p,
});

describe("an order of sekisho's that the journal lacks", () => {
  it("its fill writes the row again (filled, pocket and strategy from the order), alerts that it was adopted, and the signal id stays a duplicate key", async () => {
    rig = await startLedgerRig({ scenario: jpyScenario() });
    const before = rig.p.account.position("USD_JPY").long;
    // Sent, then the journal lost its row: the broker has the order, the journal does not.
    const sent = await rig.client.submitMarketOrder(order("sk-lost-1"));
    expect(sent.kind).toBe("filled");
    expect(await rig.journal.orders.findByClientId("sk-lost-1")).toBeUndefined();

    await rig.settleLedger();

    const row = await rig.journal.orders.findByClientId("sk-lost-1");
    expect(row).toMatchObject({
      signalId: "lost-1", status: "filled", instrument: "USD_JPY", side: "buy", filledUnits: 7_000, requestedUnits: 7_000,
      pocket: "micro", strategy: "range_break", worker: "ledger", positionFill: "OPEN_ONLY", reduceOnly: false,
    });
    expect(row!.note).toMatch(/adopted from the broker's ledger/);
    expect(rig.alerts).toEqual([expect.objectContaining({ kind: "unattributed", clientId: "sk-lost-1", message: expect.stringMatching(/^adopted: order sk-lost-1 was missing from the journal/) })]);
    expect((await rig.journal.decisions.recent(10)).find((d) => d.reason === "adopted_fill")).toMatchObject({ clientId: "sk-lost-1", signalId: "lost-1" });
    expect(rig.p.account.position("USD_JPY").long).toBe(before + 7_000);

    // The same signal again (an operator resending it, a worker replaying it): never a second order.
    const again: Signal = {
      id: "lost-1", worker: "operator", strategy: "test", pocket: "micro", instrument: "USD_JPY", side: "buy", confidence: 50,
      proposedUnits: 7_000, reduceOnly: false, attachSlTp: false, createdAt: rig.clock.now(), ttlMs: 60_000,
    };
    expect(await rig.p.gate.process(again)).toMatchObject({ outcome: "skipped", reason: "duplicate_signal" });
    expect(brokerFacts(rig.sim).ordersByClientId().get("sk-lost-1")).toBe(1);

    // A restart re-reads the ledger: adopted once, alerted once.
    await rig.restart();
    await rig.settleLedger();
    expect(rig.alerts).toHaveLength(1);
    expect((await rig.journal.orders.findBySignalId("lost-1"))).toHaveLength(1);
  });

  it("its cancel writes the row again as cancelled, with no position and no fill alert", async () => {
    rig = await startLedgerRig({ scenario: jpyScenario() });
    const before = rig.p.account.position("USD_JPY").long;
    // A buy bounded far below the market: the broker cancels it (BOUNDS_VIOLATION).
    const sent = await rig.client.submitMarketOrder(order("sk-lost-2", { priceBound: 1 }));
    expect(sent.kind).toBe("cancelled");

    await rig.settleLedger();

    expect(await rig.journal.orders.findByClientId("sk-lost-2")).toMatchObject({ signalId: "lost-2", status: "cancelled", pocket: "micro" });
    expect(rig.alerts).toEqual([]);
    expect(rig.p.account.position("USD_JPY").long).toBe(before);
  });
});
