// PUT /trades/{tradeSpecifier}/close in the simulator: one trade, by id or @clientTradeID,
// partly or whole, at the closing side of the price; and the open-trade index that keeps
// per-tick work proportional to what is open.
import { describe, expect, it } from "vitest";
import { position } from "../../src/sim/views.ts";
import { body, engineWith, market } from "./helpers.ts";

/** An engine with a 10k long (trade "A") opened before a 4k long ("B") on USD_JPY. */
function twoLongs() {
  const e = engineWith();
  const a = body(e.createOrder(market(10_000, { tradeClientExtensions: { id: "trade-a" } }))).orderFillTransaction.tradeOpened.tradeID as string;
  const b = body(e.createOrder(market(4_000, { tradeClientExtensions: { id: "trade-b" } }))).orderFillTransaction.tradeOpened.tradeID as string;
  return { e, a, b };
}

describe("sim engine: closeTrade", () => {
  it("partial close: reduces exactly that trade at the bid, with TRADE_CLOSE create and MARKET_ORDER_TRADE_CLOSE fill", () => {
    const { e, a } = twoLongs();
    const before = e.lastTransactionID;
    const r = e.closeTrade(a, { units: "3000" });
    expect(r.status).toBe(200);
    const { orderCreateTransaction: create, orderFillTransaction: fill, relatedTransactionIDs, lastTransactionID } = body(r);
    expect(create).toMatchObject({ type: "MARKET_ORDER", reason: "TRADE_CLOSE", units: "-3000", positionFill: "REDUCE_ONLY", tradeClose: { tradeID: a, clientTradeID: "trade-a", units: "3000" } });
    expect(fill).toMatchObject({ type: "ORDER_FILL", reason: "MARKET_ORDER_TRADE_CLOSE", orderID: create.id, units: "-3000", price: "155.000" });
    expect(fill.tradeReduced).toMatchObject({ tradeID: a, units: "-3000" });
    expect(fill.tradesClosed).toBeUndefined();
    expect(relatedTransactionIDs).toEqual([create.id, fill.id]);
    expect(lastTransactionID).toBe(fill.id);
    expect(e.trade(a)!.currentUnits).toBe(7_000);
    // Every state change is a transaction, in order, after the previous last id.
    expect(e.transactionsSince(Number(before)).map((t) => t.id)).toEqual([create.id, fill.id]);
  });

  it("ALL closes the trade, removes it from the open trades, and cancels its TP/SL", () => {
    const e = engineWith();
    const f = body(e.createOrder(market(-5_000, { takeProfitOnFill: { price: "150.000" }, stopLossOnFill: { price: "160.000" } }))).orderFillTransaction;
    const id = f.tradeOpened.tradeID as string;
    const r = body(e.closeTrade(id, { units: "ALL" }));
    // closing a short buys at the ask
    expect(r.orderFillTransaction).toMatchObject({ units: "5000", price: "155.008", tradesClosed: [{ tradeID: id, units: "5000" }] });
    expect(r.orderCreateTransaction.tradeClose).toEqual({ tradeID: id, units: "ALL" });
    const cancels = e.transactionsSince(Number(r.orderFillTransaction.id)).filter((t) => t.type === "ORDER_CANCEL");
    expect(cancels.map((c) => c.reason)).toEqual(["LINKED_TRADE_CLOSED", "LINKED_TRADE_CLOSED"]);
    expect(r.relatedTransactionIDs).toEqual([r.orderCreateTransaction.id, r.orderFillTransaction.id, ...cancels.map((c) => c.id)]);
    expect(e.openTrades()).toEqual([]);
    expect(e.pendingOrders()).toEqual([]);
    expect(e.exposure("USD_JPY")).toEqual({ long: 0, short: 0 });
  });

  it("an absent units field closes ALL; a JSON number is read as a decimal", () => {
    const { e, a, b } = twoLongs();
    expect(body(e.closeTrade(b, {})).orderFillTransaction.tradesClosed[0].units).toBe("-4000");
    expect(body(e.closeTrade(a, { units: 2500 })).orderFillTransaction.tradeReduced.units).toBe("-2500");
  });

  it("closing the newer trade leaves the older one alone (no FIFO for a trade close)", () => {
    const { e, a, b } = twoLongs();
    expect(e.closeTrade(b, { units: "ALL" }).status).toBe(200);
    expect(e.openTrades().map((t) => [t.id, t.currentUnits])).toEqual([[a, 10_000]]);
    expect(e.exposure("USD_JPY")).toEqual({ long: 10_000, short: 0 });
  });

  it("@clientTradeID addresses the trade by its client id", () => {
    const { e, a, b } = twoLongs();
    const r = body(e.closeTrade("@trade-b", { units: "1000" }));
    expect(r.orderFillTransaction.tradeReduced.tradeID).toBe(b);
    expect(r.orderCreateTransaction.tradeClose).toMatchObject({ tradeID: b, clientTradeID: "trade-b" });
    expect(e.trade(a)!.currentUnits).toBe(10_000);
    expect(e.closeTrade("@no-such-client-id", {}).status).toBe(404);
  });

  it("not tradeable: MARKET_HALTED cancel, 200, the trade unchanged", () => {
    const { e, a } = twoLongs();
    e.setPrice({ instrument: "USD_JPY", bid: 155, ask: 155.008, tradeable: false });
    const r = e.closeTrade(a, { units: "ALL" });
    expect(r.status).toBe(200);
    expect(body(r).orderFillTransaction).toBeUndefined();
    expect(body(r).orderCancelTransaction).toMatchObject({ type: "ORDER_CANCEL", reason: "MARKET_HALTED", orderID: body(r).orderCreateTransaction.id });
    expect(e.trade(a)!.currentUnits).toBe(10_000);
    expect(e.order(body(r).orderCreateTransaction.id)!.state).toBe("CANCELLED");
  });

  it("more units than the trade holds: 400 CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE, a reject transaction, nothing closed", () => {
    const { e, a } = twoLongs();
    const r = e.closeTrade(a, { units: "10001" });
    expect(r.status).toBe(400);
    expect(body(r)).toMatchObject({ errorCode: "CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE", orderRejectTransaction: { type: "MARKET_ORDER_REJECT", reason: "TRADE_CLOSE", rejectReason: "CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE", tradeClose: { tradeID: a, units: "10001" } } });
    expect(e.transactions().at(-1)!.id).toBe(body(r).orderRejectTransaction.id);
    expect(e.trade(a)!.currentUnits).toBe(10_000);
    for (const units of ["0", "-5", "abc", "1.5"]) {
      expect(body(e.closeTrade(a, { units })).errorCode, units).toBe(units === "1.5" ? "UNITS_PRECISION_EXCEEDED" : "UNITS_INVALID");
    }
    expect(e.exposure("USD_JPY")).toEqual({ long: 14_000, short: 0 });
  });

  it("unknown or already closed trade: 404 NO_SUCH_TRADE and no transaction", () => {
    const { e, b } = twoLongs();
    e.closeTrade(b, {});
    const last = e.lastTransactionID;
    for (const spec of ["999", b]) {
      const r = e.closeTrade(spec, { units: "ALL" });
      expect(r.status).toBe(404);
      expect(body(r)).toEqual({ errorMessage: "The Trade specified does not exist", errorCode: "NO_SUCH_TRADE", lastTransactionID: last });
    }
    expect(e.lastTransactionID).toBe(last);
  });
});

describe("sim engine: open-trade and pending-order indexes", () => {
  it("closed trades leave the open index; history still holds them; positions keep their realized P/L", () => {
    const e = engineWith();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(body(e.createOrder(market(i % 2 ? -1000 : 1000))).orderFillTransaction.tradeOpened.tradeID);
    e.setPrice({ instrument: "USD_JPY", bid: 155.1, ask: 155.108 });
    for (const id of [ids[0]!, ids[3]!, ids[4]!]) e.closeTrade(id, {});
    expect(e.openTrades().map((t) => t.id)).toEqual([ids[1], ids[2], ids[5]]);
    expect(e.openTradesOf("USD_JPY").map((t) => t.id)).toEqual([ids[1], ids[2], ids[5]]);
    expect(e.allTrades()).toHaveLength(6);
    expect(e.exposure("USD_JPY")).toEqual({ long: 1000, short: 2000 });
    // longs 0 and 4 closed at 155.1 after buying at 155.008: 2 x 0.092 x 1000; short 3 bought back at 155.108 after selling at 155.000: -0.108 x 1000
    expect(e.realizedPL("USD_JPY", "long")).toBeCloseTo(184, 6);
    expect(e.realizedPL("USD_JPY", "short")).toBeCloseTo(-108, 6);
    expect(position(e, "USD_JPY")).toMatchObject({ pl: "76.0000", long: { units: "1000", pl: "184.0000", tradeIDs: [ids[2]] }, short: { units: "-2000", pl: "-108.0000", tradeIDs: [ids[1], ids[5]] } });
  });

  it("a FIFO reduce skips closed trades and walks the open ones oldest first", () => {
    const e = engineWith();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(body(e.createOrder(market(1000))).orderFillTransaction.tradeOpened.tradeID);
    e.closeTrade(ids[0]!, {});
    const r = body(e.createOrder(market(-1500, { positionFill: "REDUCE_ONLY" }))).orderFillTransaction;
    expect(r.tradesClosed.map((t: { tradeID: string }) => t.tradeID)).toEqual([ids[1]]);
    expect(r.tradeReduced.tradeID).toBe(ids[2]);
  });

  it("pending orders are the TP/SL of open trades only", () => {
    const e = engineWith();
    const a = body(e.createOrder(market(1000, { takeProfitOnFill: { price: "156.000" } }))).orderFillTransaction.tradeOpened.tradeID;
    const b = body(e.createOrder(market(1000, { stopLossOnFill: { price: "150.000" } }))).orderFillTransaction.tradeOpened.tradeID;
    expect(e.pendingOrders().map((o) => [o.type, o.tradeID])).toEqual([["TAKE_PROFIT", a], ["STOP_LOSS", b]]);
    e.setPrice({ instrument: "USD_JPY", bid: 156, ask: 156.008 }); // TP of a triggers
    expect(e.pendingOrders().map((o) => [o.type, o.tradeID])).toEqual([["STOP_LOSS", b]]);
    e.closeTrade(b, {});
    expect(e.pendingOrders()).toEqual([]);
    expect(e.orders().filter((o) => o.state === "PENDING")).toEqual([]);
  });
});
