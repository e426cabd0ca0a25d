// GET /orders/{clientId} for a signal that closed trades by id: its own client id answers with
// every leg summed up, also when the signal id was too long and its client id folded into a hash.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { orderView } from "../../src/agent/order-view.ts";
import { clientIdForSignal, tradeCloseClientId } from "../../src/core/client-id.ts";
import { tradeCloseRequestJson, TRADE_CLOSE } from "../../src/core/trade-close.ts";
import { type Journal, openJournal } from "../../src/store/index.ts";

let journal: Journal;
beforeEach(async () => { journal = await openJournal({ path: ":memory:" }); });
afterEach(async () => { await journal.close(); });

/** The legs a close of trades 101 (3,000 units, filled) and 102 (2,000, still submitted) journals. */
async function closeTwoTrades(signalId: string): Promise<string> {
  const base = clientIdForSignal(signalId);
  for (const [tradeId, units] of [["101", 3_000], ["102", 2_000]] as const) {
    const clientId = tradeCloseClientId(base, tradeId);
    await journal.orders.insertIntent({
      clientId, signalId, worker: "operator", strategy: "operator", pocket: "macro", instrument: "USD_JPY", side: "sell",
      requestedUnits: units, reduceOnly: true, positionFill: TRADE_CLOSE, requestJson: tradeCloseRequestJson(tradeId, units, "900"),
    }, "submitted");
    if (tradeId === "101") await journal.orders.advance(clientId, "filled", { filledUnits: units });
  }
  return base;
}

describe("orderView", () => {
  it.each([["a short signal id", "op-close-1"], ["a signal id folded into a hash", `op-${"x".repeat(140)}`]])("answers for %s with its trade-close legs summed up", async (_, signalId) => {
    const base = await closeTwoTrades(signalId);
    // A row that only looks like a leg (another order's own id) is not counted.
    await journal.orders.insertIntent({
      clientId: `${base}-t7`, signalId: "other", worker: "operator", strategy: "operator", pocket: "macro", instrument: "USD_JPY", side: "buy",
      requestedUnits: 1, reduceOnly: false, positionFill: "DEFAULT",
    });
    const view = await orderView(journal, base);
    expect(view).toMatchObject({ clientId: base, signalId, status: "submitted", requestedUnits: 5_000, filledUnits: 3_000 });
    expect(view!.legs!.map((l) => l.clientId)).toEqual([tradeCloseClientId(base, "101"), tradeCloseClientId(base, "102")]);
    // Each leg is its own row under its own client id.
    expect(await orderView(journal, tradeCloseClientId(base, "102"))).toMatchObject({ status: "submitted", requestedUnits: 2_000 });
  });

  it("is not found when no row and no leg has the client id", async () => {
    const base = await closeTwoTrades(`op-${"y".repeat(140)}`);
    expect(await orderView(journal, clientIdForSignal(`op-${"z".repeat(140)}`))).toBeUndefined();
    expect(await orderView(journal, `${base}-t10`)).toBeUndefined();
  });
});
