// A trade close's journaled request (src/core/trade-close.ts): what execution writes, execution's
// reconciliation and the ledger's attribution read back the same (the trade, and where to look
// for its fill), and an unreadable request says nothing rather than throwing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTradeCloseRequest, tradeCloseRequestJson } from "../../src/core/trade-close.ts";

describe("trade close request", () => {
  it("reads back the trade and the transaction id it was written with", () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 1e7 }), fc.string(), (tradeId, units, since) => {
      expect(readTradeCloseRequest(tradeCloseRequestJson(tradeId, units, since))).toEqual({ tradeId, sinceTransactionID: since });
    }));
  });

  it("says nothing of a request it cannot read, and names a numeric trade id as text", () => {
    for (const bad of [null, undefined, "", "{", "null", "[]", "{\"tradeClose\":null}"]) expect(readTradeCloseRequest(bad)).toEqual({});
    expect(readTradeCloseRequest("{\"tradeClose\":{\"tradeId\":42}}")).toEqual({ tradeId: "42" });
  });
});
