// Each leg of a signal is its own order with its own client id and journal row, whatever the
// signal id's length: ids that had to be cut to OANDA's 128 characters once gave two closes of a
// long signal one row, and the second close's fill had none. The broker is the simulator over
// HTTP; the journal is real.
import { afterEach, describe, expect, it } from "vitest";
import { clientIdForSignal, tradeCloseClientId } from "../../src/core/client-id.ts";
import { entry, jpyScenario, type Rig, startRig } from "../helpers/trading-rig.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A manual 30k long first in line, then sekisho's 12k and 8k: a 15k reduction closes sekisho's trades by id. */
async function twoOwnTradesBehindAManualOne(): Promise<Rig> {
  const r = await startRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0, tag: null }] }) });
  for (const u of [12_000, 8_000]) {
    expect((await r.gate.process(entry({ side: "buy", proposedUnits: u }))).orderStatus).toBe("filled");
    await r.refreshPrices();
  }
  return r;
}

const closeRows = async (r: Rig) => (await r.journal.orders.list({ limit: 20 })).rows.filter((row) => row.positionFill === "TRADE_CLOSE");

describe("closes by trade id of one signal", () => {
  // 125 characters: the client id is exactly 128, so `-t<trade id>` did not fit; 160: folded.
  for (const length of [20, 125, 160]) {
    it(`a signal id of ${length} characters: one journal row per closed trade, each filled with its own units`, async () => {
      rig = await twoOwnTradesBehindAManualOne();
      const id = `r-${"x".repeat(length - 2)}`;
      const d = await rig.gate.process(entry({ id, side: "sell", reduceOnly: true, proposedUnits: 15_000 }));
      expect(d).toMatchObject({ outcome: "accepted", units: 15_000, orderStatus: "filled" });
      const rows = await closeRows(rig);
      expect(rows.map((r) => [r.status, r.requestedUnits, r.filledUnits]).sort()).toEqual([["filled", 12_000, 12_000], ["filled", 3_000, 3_000]].sort());
      expect(new Set(rows.map((r) => r.clientId)).size).toBe(2);
      for (const r of rows) {
        expect(r.signalId).toBe(id);
        expect(r.clientId.length).toBeLessThanOrEqual(128);
        expect(r.clientId).toBe(tradeCloseClientId(clientIdForSignal(id), r.oandaTradeId!));
      }
      // The broker closed exactly what the journal says.
      expect((await rig.client.openTrades()).map((t) => t.units).sort((a, b) => a - b)).toEqual([5_000, 30_000]);
    });
  }

  it("a leg whose client id another order's row already has is not sent: the journal keeps one row per order", async () => {
    rig = await twoOwnTradesBehindAManualOne();
    const [first] = (await rig.client.openTrades()).filter((t) => t.clientExtensions?.tag?.startsWith("sekisho:")).sort((a, b) => Number(a.id) - Number(b.id));
    // Another signal's order already holds the id this close would take (`x` then `x-t<id>`).
    const taken = tradeCloseClientId(clientIdForSignal("op-x"), first!.id);
    await rig.journal.orders.insertIntent({
      clientId: taken, signalId: "op-x-t-other", worker: "operator", strategy: "test", pocket: "macro", instrument: "USD_JPY", side: "buy",
      requestedUnits: 1_000, reduceOnly: false, positionFill: "OPEN_ONLY", requestJson: "{}",
    });
    const d = await rig.gate.process(entry({ id: "op-x", side: "sell", reduceOnly: true, proposedUnits: 15_000 }));
    expect(d).toMatchObject({ outcome: "error", reason: "internal_error" });
    expect(String((d.detail as { error?: string }).error)).toMatch(/already names another order/);
    // Nothing was closed, and the other order's row is as it was.
    expect((await rig.client.openTrades()).map((t) => t.units).sort((a, b) => a - b)).toEqual([8_000, 12_000, 30_000]);
    expect(await rig.journal.orders.findByClientId(taken)).toMatchObject({ signalId: "op-x-t-other", status: "intent", requestedUnits: 1_000 });
    expect(rig.account.reservations()).toEqual([]);
  });
});
