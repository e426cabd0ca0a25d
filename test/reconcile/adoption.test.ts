// Adoption: an order sekisho sent (its client id starts with `sk-`) whose journal row is missing
// (a power cut under JOURNAL_SYNCHRONOUS=normal can take the last commits after the request left)
// is written back into the journal from the broker's ledger, settled by its fill or cancel, and
// alerted. The broker is a separate simulator; the order reaches it without a journal row, as
// after a crash that lost the row once the request was sent.
import { afterEach, describe, expect, it } from "vitest";
import type { MarketOrderRequest } from "../../src/core/orders.ts";
import { clientIdForSignal, positionCloseClientId } from "../../src/core/client-id.ts";
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

  // A signal id over 125 characters gets a client id folded into a hash (OANDA allows 128): the
  // client id no longer says the signal id, so the adopted row must not claim one it made up.
  const longId = `op-${"flatten-USD_JPY-".repeat(9)}42`;
  const signal = (id: string, p: Partial<Signal> = {}): Signal => ({
    id, worker: "operator", strategy: "test", pocket: "micro", instrument: "USD_JPY", side: "buy", confidence: 50,
    proposedUnits: 7_000, reduceOnly: false, attachSlTp: false, createdAt: Date.now(), ttlMs: 60_000, ...p,
  });

  it("with a signal id too long for its client id: the row says its signal is unknown, and the same signal is still refused", async () => {
    rig = await startLedgerRig({ scenario: jpyScenario() });
    const clientId = clientIdForSignal(longId);
    expect(await rig.client.submitMarketOrder(order(clientId))).toMatchObject({ kind: "filled" });

    await rig.settleLedger();

    const row = await rig.journal.orders.findByClientId(clientId);
    // Not the client id without `sk-` (a hash and a tail, which is no signal's id).
    expect(row).toMatchObject({ status: "filled", signalId: `unknown:${clientId}`, worker: "ledger" });
    expect((await rig.journal.decisions.recent(10)).find((d) => d.reason === "adopted_fill")).toMatchObject({ clientId, signalId: `unknown:${clientId}` });

    // The same long signal again: its client id finds the adopted row through the hash.
    expect(await rig.p.gate.process(signal(longId, { createdAt: rig.clock.now() }))).toMatchObject({ outcome: "skipped", reason: "duplicate_signal", detail: { clientId } });
    expect(brokerFacts(rig.sim).ordersByClientId().get(clientId)).toBe(1);
  });

  it("a position close's sides: the signal id comes back when the client id holds it whole, is unknown when folded, and the signal is refused again either way", async () => {
    rig = await startLedgerRig({ scenario: jpyScenario({ positions: [{ long: 20_000, short: 0 }, { long: 0, short: 10_000 }] }) });
    for (const [signalId, expected] of [["flat-1", "flat-1"], [longId, undefined]] as const) {
      const base = clientIdForSignal(signalId);
      const long = positionCloseClientId(base, "long");
      const short = positionCloseClientId(base, "short");
      // Sent, then the journal lost both rows.
      const sent = await rig.client.closePosition!("USD_JPY", { longUnits: 1_000, shortUnits: 1_000, longClientExtensions: { id: long, tag: "sekisho:macro:flatten" }, shortClientExtensions: { id: short, tag: "sekisho:macro:flatten" } });
      expect(sent).toMatchObject({ long: { kind: "filled" }, short: { kind: "filled" } });

      await rig.settleLedger();

      for (const id of [long, short]) {
        expect(await rig.journal.orders.findByClientId(id)).toMatchObject({ status: "filled", signalId: expected ?? `unknown:${id}`, positionFill: "REDUCE_ONLY", reduceOnly: true });
      }
      // Repeated (as an entry, so nothing but the duplicate check could refuse it): no new order.
      expect(await rig.p.gate.process(signal(signalId, { createdAt: rig.clock.now() }))).toMatchObject({ outcome: "skipped", reason: "duplicate_signal" });
      const sentTo = brokerFacts(rig.sim).ordersByClientId();
      expect([sentTo.get(base), sentTo.get(long), sentTo.get(short)]).toEqual([undefined, 1, 1]);
    }
  });
});
