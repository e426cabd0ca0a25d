import { describe, expect, it } from "vitest";
import { REDUCE_ONLY_NOTHING_TO_REDUCE } from "../../src/sim/index.ts";
import { body, engineWith, market } from "./helpers.ts";

describe("sim engine: market order outcomes", () => {
  it("fills a buy at the ask and a sell at the bid, opening a trade with the fill's transaction id", () => {
    const e = engineWith();
    const r = e.createOrder(market(10_000));
    expect(r.status).toBe(201);
    const fill = body(r).orderFillTransaction;
    expect(fill.price).toBe("155.008");
    expect(fill.tradeOpened.tradeID).toBe(fill.id);
    expect(body(r).lastTransactionID).toBe(fill.id);
    const s = body(e.createOrder(market(-5_000))).orderFillTransaction;
    expect(s.price).toBe("155.000");
    // hedging account: DEFAULT opens a new short next to the long
    expect(e.exposure("USD_JPY")).toEqual({ long: 10_000, short: 5_000 });
  });

  it("cancels with BOUNDS_VIOLATION when the fill price is beyond priceBound, and fills at the bound", () => {
    const e = engineWith();
    const buy = body(e.createOrder(market(1000, { priceBound: "155.007" })));
    expect(buy.orderCancelTransaction.reason).toBe("BOUNDS_VIOLATION");
    expect(buy.orderFillTransaction).toBeUndefined();
    const sell = body(e.createOrder(market(-1000, { priceBound: "155.001" })));
    expect(sell.orderCancelTransaction.reason).toBe("BOUNDS_VIOLATION");
    expect(body(e.createOrder(market(1000, { priceBound: "155.008" }))).orderFillTransaction).toBeDefined();
    expect(e.exposure("USD_JPY")).toEqual({ long: 1000, short: 0 });
  });

  it("cancels with MARKET_HALTED when the instrument is not tradeable", () => {
    const e = engineWith();
    e.setPrice({ instrument: "USD_JPY", bid: 155, ask: 155.01, tradeable: false });
    const r = body(e.createOrder(market(1000)));
    expect(r.orderCancelTransaction.reason).toBe("MARKET_HALTED");
    expect(e.openTrades()).toHaveLength(0);
  });

  it("INSUFFICIENT_MARGIN under net: one side beyond NAV / (price x rate) is refused", () => {
    const e = engineWith();
    // 500,000 / (155.004 x 0.04) = 80,643 units at most
    expect(body(e.createOrder(market(81_000))).orderCancelTransaction.reason).toBe("INSUFFICIENT_MARGIN");
    expect(body(e.createOrder(market(80_000))).orderFillTransaction).toBeDefined();
  });

  it("under net a hedge frees margin; under max_side the same hedge is refused", () => {
    const positions = [{ instrument: "USD_JPY", long: 70_000, short: 0, price: 155 }];
    const net = engineWith({ positions, account: { marginModel: "net" } });
    const max = engineWith({ positions, account: { marginModel: "max_side" } });
    // a 90k short on top of 70k long: net -20k (cheap), max_side 90k (too much for 500k NAV)
    expect(body(net.createOrder(market(-90_000))).orderFillTransaction).toBeDefined();
    expect(net.numbers().marginUsed).toBeCloseTo(20_000 * 155.004 * 0.04, 4);
    expect(body(max.createOrder(market(-90_000))).orderCancelTransaction.reason).toBe("INSUFFICIENT_MARGIN");
    // adding to the smaller side up to the larger one does not raise max_side margin
    expect(body(max.createOrder(market(-70_000))).orderFillTransaction).toBeDefined();
  });

  it("rejects a duplicate clientExtensions.id with HTTP 400 and CLIENT_ORDER_ID_ALREADY_EXISTS, executing nothing", () => {
    const e = engineWith();
    expect(e.createOrder(market(1000, { clientExtensions: { id: "sk-1" } })).status).toBe(201);
    const r = e.createOrder(market(1000, { clientExtensions: { id: "sk-1" } }));
    expect(r.status).toBe(400);
    expect(body(r).errorCode).toBe("CLIENT_ORDER_ID_ALREADY_EXISTS");
    expect(body(r).orderRejectTransaction.rejectReason).toBe("CLIENT_ORDER_ID_ALREADY_EXISTS");
    expect(e.exposure("USD_JPY").long).toBe(1000);
  });

  it("rejects invalid requests with a reject transaction and errorCode", () => {
    const e = engineWith();
    expect(body(e.createOrder(market(0))).errorCode).toBe("UNITS_INVALID");
    expect(body(e.createOrder({ order: { type: "MARKET", instrument: "XAU_XAG", units: "1" } })).errorCode).toBe("INSTRUMENT_UNKNOWN");
    expect(body(e.createOrder(market(1.5))).errorCode).toBe("UNITS_PRECISION_EXCEEDED");
    expect(body(e.createOrder(market(10, { timeInForce: "GTC" }))).errorCode).toBe("TIME_IN_FORCE_INVALID");
    expect(e.openTrades()).toHaveLength(0);
  });

  it("REDUCE_ONLY with nothing to reduce is cancelled and opens nothing", () => {
    const e = engineWith({ positions: [{ instrument: "USD_JPY", long: 5000, short: 0, price: 155 }] });
    const r = body(e.createOrder(market(1000, { positionFill: "REDUCE_ONLY" })));
    expect(r.orderCancelTransaction.reason).toBe(REDUCE_ONLY_NOTHING_TO_REDUCE);
    expect(e.exposure("USD_JPY")).toEqual({ long: 5000, short: 0 });
  });

  it("REDUCE_ONLY closes opposite trades FIFO, partially reduces the next, and never opens", () => {
    const e = engineWith();
    const t1 = body(e.createOrder(market(3000))).orderFillTransaction.tradeOpened.tradeID;
    const t2 = body(e.createOrder(market(4000))).orderFillTransaction.tradeOpened.tradeID;
    const fill = body(e.createOrder(market(-5000, { positionFill: "REDUCE_ONLY" }))).orderFillTransaction;
    expect(fill.tradesClosed.map((c: any) => [c.tradeID, c.units])).toEqual([[t1, "-3000"]]);
    expect([fill.tradeReduced.tradeID, fill.tradeReduced.units]).toEqual([t2, "-2000"]);
    expect(fill.tradeOpened).toBeUndefined();
    expect(e.trade(t2)!.currentUnits).toBe(2000);
    // more than is open: only what exists is reduced
    const rest = body(e.createOrder(market(-9000, { positionFill: "REDUCE_ONLY" }))).orderFillTransaction;
    expect(rest.units).toBe("-2000");
    expect(e.exposure("USD_JPY")).toEqual({ long: 0, short: 0 });
  });

  it("on a netting account DEFAULT reduces first and opens the remainder", () => {
    const e = engineWith({ account: { hedgingEnabled: false } });
    e.createOrder(market(3000));
    const fill = body(e.createOrder(market(-5000))).orderFillTransaction;
    expect(fill.tradesClosed).toHaveLength(1);
    expect(fill.tradeOpened.units).toBe("-2000");
    expect(e.exposure("USD_JPY")).toEqual({ long: 0, short: 2000 });
  });

  it("realised P/L moves the balance: buy at ask, later sell at bid", () => {
    const e = engineWith();
    e.createOrder(market(10_000));
    e.applyTick({ instrument: "USD_JPY", bid: 155.5, ask: 155.508 });
    const fill = body(e.createOrder(market(-10_000, { positionFill: "REDUCE_ONLY" }))).orderFillTransaction;
    expect(fill.pl).toBe("4920.0000"); // (155.500 - 155.008) x 10,000
    expect(e.balance).toBe(504_920);
    expect(fill.accountBalance).toBe("504920.0000");
  });
});

describe("sim engine: dependent orders and closeout", () => {
  it("a take-profit on fill closes the trade when the bid reaches it and cancels the stop-loss", () => {
    const e = engineWith();
    const r = body(e.createOrder(market(1000, { takeProfitOnFill: { price: "155.200" }, stopLossOnFill: { price: "154.800" } })));
    const tradeID = r.orderFillTransaction.tradeOpened.tradeID;
    expect(r.relatedTransactionIDs).toHaveLength(4);
    e.applyTick({ instrument: "USD_JPY", bid: 155.19, ask: 155.198 });
    expect(e.trade(tradeID)!.currentUnits).toBe(1000);
    e.applyTick({ instrument: "USD_JPY", bid: 155.21, ask: 155.218 });
    expect(e.trade(tradeID)!.currentUnits).toBe(0);
    const txs = e.transactions().slice(-2);
    expect(txs[0]!.type).toBe("ORDER_FILL");
    expect(txs[0]!.reason).toBe("TAKE_PROFIT_ORDER");
    expect(txs[1]!).toMatchObject({ type: "ORDER_CANCEL", reason: "LINKED_TRADE_CLOSED" });
  });

  it("a stop-loss on a short triggers when the ask rises to it", () => {
    const e = engineWith();
    const id = body(e.createOrder(market(-1000, { stopLossOnFill: { distance: "0.1" } }))).orderFillTransaction.tradeOpened.tradeID;
    e.applyTick({ instrument: "USD_JPY", bid: 155.095, ask: 155.103 });
    expect(e.trade(id)!.currentUnits).toBe(0);
    expect(e.transactions().find((t) => t.reason === "STOP_LOSS_ORDER")).toBeDefined();
  });

  it("margin closeout closes everything when marginCloseoutPercent reaches 100%", () => {
    const e = engineWith({ account: { balance: 100_000 }, positions: [{ instrument: "USD_JPY", long: 16_000, short: 0, price: 155 }] });
    expect(e.numbers().marginCloseoutPercent).toBeLessThan(1);
    // NAV falls below half the margin used after a 5-yen drop
    e.applyTick({ instrument: "USD_JPY", bid: 150, ask: 150.008 });
    expect(e.openTrades()).toHaveLength(0);
    expect(e.transactions().some((t) => t.reason === "MARGIN_CLOSEOUT")).toBe(true);
  });

  it("transaction ids strictly increase and transactionsSince returns exactly the later ones", () => {
    const e = engineWith();
    for (let i = 0; i < 5; i++) e.createOrder(market(1000 * (i + 1), { takeProfitOnFill: { price: "156" } }));
    const ids = e.transactions().map((t) => Number(t.id));
    ids.slice(1).forEach((id, i) => expect(id).toBe(ids[i]! + 1));
    expect(e.transactionsSince(5).map((t) => Number(t.id))).toEqual(ids.filter((i) => i > 5));
    expect(e.transactionsSince(Number(e.lastTransactionID))).toEqual([]);
  });
});
