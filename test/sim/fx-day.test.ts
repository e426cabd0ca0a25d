// The FX day's clock in the simulator: daily financing at 17:00 New York (Wednesday's close
// counts three days) and OANDA's daily maintenance, 16:59-17:05 New York Tuesday to Friday.
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type SimHandle } from "../../src/sim/index.ts";
import { api } from "./http.ts";
import { body, engineWith, ManualClock, market } from "./helpers.ts";

// Tuesday 30 December 2025, 12:00 UTC: New York is on EST (UTC-5), so the close is 22:00 UTC.
const TUE_NOON = Date.UTC(2025, 11, 30, 12, 0, 0);
const TUE_CLOSE = Date.UTC(2025, 11, 30, 22, 0, 0);
const HOUR = 3_600_000;

const started: SimHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

describe("daily financing", () => {
  const book = { instruments: { USD_JPY: { bid: 155, ask: 155.008 } }, positions: [{ instrument: "USD_JPY", long: 10_000, short: 4_000, price: 155 }] };

  it("at 17:00 New York every open trade is financed at its side's rate; the balance moves by exactly the financing", () => {
    const clock = new ManualClock(TUE_NOON);
    const e = engineWith(book, clock);
    const before = e.balance;
    clock.t = TUE_CLOSE - 1;
    e.applyTick({ instrument: "USD_JPY", bid: 155, ask: 155.008 });
    expect(e.transactions().some((t) => t.type === "DAILY_FINANCING")).toBe(false);
    clock.t = TUE_CLOSE + 6 * 60_000; // after the maintenance window
    e.applyTick({ instrument: "USD_JPY", bid: 155, ask: 155.008 });
    const f = e.transactions().filter((t) => t.type === "DAILY_FINANCING");
    expect(f).toHaveLength(1);
    // Built-in USD_JPY rates: longs +3% a year, shorts -4.5%, on |units| x mid (155.004) / 365.
    const long = Math.round(((10_000 * 155.004 * 0.03) / 365) * 1e4) / 1e4;
    const short = Math.round(((4_000 * 155.004 * -0.045) / 365) * 1e4) / 1e4;
    expect(f[0]!.positionFinancings).toEqual([{
      instrument: "USD_JPY", financing: (long + short).toFixed(4),
      openTradeFinancings: [{ tradeID: expect.any(String), financing: long.toFixed(4) }, { tradeID: expect.any(String), financing: short.toFixed(4) }],
    }]);
    expect(Number(f[0]!.financing)).toBeCloseTo(long + short, 9);
    expect(e.balance - before).toBeCloseTo(Number(f[0]!.financing), 9);
    expect(f[0]!.accountBalance).toBe(e.balance.toFixed(4));
    expect(e.financing).toBeCloseTo(long + short, 9);
    expect(e.openTrades().map((t) => t.financing)).toEqual([long, short]);
  });

  it("Wednesday's close counts three days; the weekend has no close of its own; rates are per scenario", () => {
    const clock = new ManualClock(TUE_NOON + 24 * HOUR); // Wednesday noon
    const e = engineWith({ ...book, financing: { rates: { USD_JPY: { long: 0.0365, short: 0 } } } }, clock);
    clock.t = TUE_CLOSE + 24 * HOUR + 10 * 60_000; // after Wednesday's close
    e.applyTick({ instrument: "USD_JPY", bid: 155, ask: 155.008 });
    const wed = e.transactions().filter((t) => t.type === "DAILY_FINANCING");
    expect(wed).toHaveLength(1);
    expect(Number(wed[0]!.financing)).toBeCloseTo(10_000 * 155.004 * 0.0001 * 3, 4); // 3 days at 0.01% a day
    clock.t = TUE_CLOSE + 6 * 24 * HOUR - HOUR; // Monday 16:00 New York: Thursday and Friday closes passed
    e.applyTick({ instrument: "USD_JPY", bid: 155, ask: 155.008 });
    expect(e.transactions().filter((t) => t.type === "DAILY_FINANCING")).toHaveLength(3);
  });

  it("nothing open, or financing disabled: no DAILY_FINANCING", () => {
    const clock = new ManualClock(TUE_NOON);
    const flat = engineWith({}, clock);
    const off = engineWith({ ...book, financing: { enabled: false } }, clock);
    clock.t = TUE_CLOSE + HOUR;
    flat.applyTick({ instrument: "USD_JPY", bid: 155, ask: 155.008 });
    off.applyTick({ instrument: "USD_JPY", bid: 155, ask: 155.008 });
    expect([...flat.transactions(), ...off.transactions()].some((t) => t.type === "DAILY_FINANCING")).toBe(false);
  });

  it("over HTTP: a read after the close books the financing; trades, positions and the account show it", async () => {
    const clock = new ManualClock(TUE_NOON);
    const s = await startSimulator({ scenario: { ticks: { source: "fixed" }, ...book }, clock });
    started.push(s);
    clock.t = TUE_CLOSE + HOUR;
    const c = api(s);
    const acct = (await c.get("/summary")).body.account;
    const tx = s.engine.transactions().find((t) => t.type === "DAILY_FINANCING")!;
    expect(acct.financing).toBe(tx.financing);
    expect(acct.balance).toBe(tx.accountBalance);
    const pos = (await c.get("/positions/USD_JPY")).body.position;
    expect(pos.financing).toBe(tx.financing);
    const trades = (await c.get("/openTrades")).body.trades;
    expect(trades.map((t: { financing: string }) => Number(t.financing)).reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(Number(tx.financing), 9);
  });
});

describe("the daily maintenance window", () => {
  it("16:59-17:05 New York on a Tuesday: prices do not move, orders are cancelled MARKET_HALTED, prices read non-tradeable", () => {
    const clock = new ManualClock(TUE_CLOSE - 2 * 60_000);
    const e = engineWith({}, clock);
    expect(body(e.createOrder(market(1000))).orderFillTransaction).toBeDefined();
    clock.t = TUE_CLOSE - 30_000; // 16:59:30
    e.applyTick({ instrument: "USD_JPY", bid: 156, ask: 156.008 });
    expect(e.price("USD_JPY")!.bid).toBe(155);
    expect(e.droppedTicks).toBe(1);
    expect(body(e.createOrder(market(1000))).orderCancelTransaction.reason).toBe("MARKET_HALTED");
    expect(e.closePosition("USD_JPY", { longUnits: "ALL" }).body.longOrderCancelTransaction).toMatchObject({ reason: "MARKET_HALTED" });
    expect(e.clientPrice("USD_JPY")).toMatchObject({ tradeable: false, status: "non-tradeable" });
    clock.t = TUE_CLOSE + 5 * 60_000; // 17:05: open again
    e.applyTick({ instrument: "USD_JPY", bid: 156, ask: 156.008 });
    expect(e.price("USD_JPY")!.bid).toBe(156);
    expect(e.clientPrice("USD_JPY")).toMatchObject({ tradeable: true });
    expect(body(e.createOrder(market(1000))).orderFillTransaction.price).toBe("156.008");
  });

  it("Monday's close has none, and maintenance: false turns it off", () => {
    const mondayClose = TUE_CLOSE - 24 * HOUR;
    const monday = engineWith({}, new ManualClock(mondayClose - 30_000));
    expect(body(monday.createOrder(market(1000))).orderFillTransaction).toBeDefined();
    const off = engineWith({ maintenance: false }, new ManualClock(TUE_CLOSE - 30_000));
    expect(body(off.createOrder(market(1000))).orderFillTransaction).toBeDefined();
  });
});
