// The simulator as an OANDA Japan account: larger-side margin, marginCloseoutPercent read as
// marginUsed / NAV and the loss-cut at 100%, with the UK/global half-margin rule and the memo's
// net margin as options; closeout fills named MARKET_ORDER_MARGIN_CLOSEOUT.
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type ScenarioInput, type SimHandle } from "../../src/sim/index.ts";
import { parseScenario, ScenarioError } from "../../src/sim/scenario.ts";
import { api } from "./http.ts";
import { body, engineWith, ManualClock, market } from "./helpers.ts";

const started: SimHandle[] = [];
async function sim(s: ScenarioInput): Promise<SimHandle> {
  // The manual clock keeps the FX day's events (financing, maintenance) out of the way.
  const h = await startSimulator({ scenario: { ticks: { source: "fixed" }, ...s }, clock: new ManualClock() });
  started.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

/**
 * The live OANDA Japan reading of 2026-03-06: NAV 38,321.7 JPY, USD_JPY long 5,739 and short
 * 1,564 at about 157.4, marginUsed 36,129.8, marginAvailable 2,191.9, marginCloseoutPercent
 * 0.9428. Inputs that reproduce it: mid 157.387 (bid 157.383, ask 157.391), since
 * 5,739 x 157.387 x 0.04 = 36,129.76; the long opened at the bid and the short at the ask, so
 * both are marked at their own price (no unrealized P/L) and NAV is the balance, 38,321.7.
 */
const LIVE_READING: ScenarioInput = {
  account: { balance: 38_321.7 },
  instruments: { USD_JPY: { bid: 157.383, ask: 157.391 } },
  positions: [
    { instrument: "USD_JPY", long: 5_739, price: 157.383 },
    { instrument: "USD_JPY", short: 1_564, price: 157.391 },
  ],
};

describe("the default account is OANDA Japan's", () => {
  it("reproduces the live reading over HTTP: larger-side marginUsed 36,129.8, marginCloseoutPercent 0.9428 (used / NAV)", async () => {
    const s = await sim(LIVE_READING);
    const a = (await api(s).get("/summary")).body.account;
    expect(a.NAV).toBe("38321.7000");
    expect(Number(a.marginUsed)).toBeCloseTo(36_129.8, 1);
    expect(Number(a.marginAvailable)).toBeCloseTo(2_191.9, 1);
    expect(a.marginCloseoutPercent).toBe("0.94280");
    expect(a.marginCloseoutMarginUsed).toBe(a.marginUsed);
    expect(a.hedgingEnabled).toBe(true);
    const pos = (await api(s).get("/positions/USD_JPY")).body.position;
    expect([pos.long.units, pos.short.units]).toEqual(["5739", "-1564"]);
    expect(pos.marginUsed).toBe(a.marginUsed);
  });

  it("the same book under the memo's net model would read about 26,300 (what the issue measured)", () => {
    const e = engineWith({ ...LIVE_READING, account: { balance: 38_321.7, marginModel: "net" } });
    expect(e.numbers().marginUsed).toBeCloseTo(4_175 * 157.387 * 0.04, 6); // 26,283.6
  });

  it("L=80k / S=70k USD_JPY at 150 on NAV 500k reads 96% usage (net: 12%; the half rule reports 48%)", () => {
    const book = { instruments: { USD_JPY: { bid: 150, ask: 150 } }, positions: [{ instrument: "USD_JPY", long: 80_000, short: 70_000, price: 150 }] };
    const japan = engineWith(book).numbers();
    expect(japan.nav).toBe(500_000);
    expect(japan.marginUsed).toBeCloseTo(480_000, 6);
    expect(japan.marginCloseoutPercent).toBeCloseTo(0.96, 9);
    expect(japan.marginCallPercent).toBeCloseTo(0.96, 9);
    expect(engineWith({ ...book, account: { marginModel: "net" } }).numbers().marginCloseoutPercent).toBeCloseTo(0.12, 9);
    expect(engineWith({ ...book, account: { closeoutRule: "half" } }).numbers().marginCloseoutPercent).toBeCloseTo(0.48, 9);
  });
});

describe("the loss-cut", () => {
  // NAV 500,000, 76,700 long bought at 150.000 (mid 150): margin 460,200, usage ~92%. The mid
  // falling d yen takes NAV to 500,000 - 76,700 x (0.004 + d) and margin to 76,700 x (150 - d)
  // x 0.04: they meet at d = 0.536, about 54 pips.
  const book = { instruments: { USD_JPY: { bid: 149.996, ask: 150.004 } }, positions: [{ instrument: "USD_JPY", long: 76_700, price: 150, tag: "sekisho:macro:seed" }] };
  const fall = (pips: number) => ({ instrument: "USD_JPY", bid: 149.996 - pips / 100, ask: 150.004 - pips / 100 });

  it("japan: 50 pips down the account stands; 55 pips down every position is closed, named MARKET_ORDER_MARGIN_CLOSEOUT", () => {
    const e = engineWith(book);
    expect(e.numbers().marginCloseoutPercent).toBeCloseTo(460_200 / 499_693.2, 6);
    e.applyTick(fall(50));
    expect(e.numbers().marginCloseoutPercent).toBeLessThan(1);
    expect(e.openTrades()).toHaveLength(1);
    const last = Number(e.lastTransactionID);
    e.applyTick(fall(55));
    expect(e.openTrades()).toHaveLength(0);
    const txs = e.transactionsSince(last);
    expect(txs.map((t) => [t.type, t.reason])).toEqual([["MARKET_ORDER", "MARGIN_CLOSEOUT"], ["ORDER_FILL", "MARKET_ORDER_MARGIN_CLOSEOUT"]]);
    expect(txs[0]!.marginCloseout).toEqual({ reason: "MARGIN_CHECK_VIOLATION" });
    expect(txs[1]!.tradesClosed).toHaveLength(1);
    expect(txs[1]!.price).toBe("149.446"); // the bid, no slippage on a closeout
  });

  it("half (UK/global): the same fall leaves the account open; closeout waits until NAV is half the margin", () => {
    const e = engineWith({ ...book, account: { closeoutRule: "half" } });
    e.applyTick(fall(55));
    expect(e.openTrades()).toHaveLength(1);
    expect(e.numbers().marginCloseoutPercent).toBeCloseTo(e.numbers().marginUsed / (2 * e.numbers().nav), 9);
  });

  it("a hedged book is closed on both sides, each side its own MARGIN_CLOSEOUT order", () => {
    const e = engineWith({ instruments: { USD_JPY: { bid: 150, ask: 150 } }, account: { balance: 100_000 }, positions: [{ instrument: "USD_JPY", long: 15_000, short: 5_000, price: 150 }] });
    expect(e.numbers().marginCloseoutPercent).toBeCloseTo(0.9, 9);
    e.applyTick({ instrument: "USD_JPY", bid: 149, ask: 149 }); // NAV 90,000, margin 89,400
    expect(e.openTrades()).toHaveLength(2);
    e.applyTick({ instrument: "USD_JPY", bid: 148.9, ask: 148.9 }); // NAV 89,000, margin 89,340
    expect(e.openTrades()).toHaveLength(0);
    const fills = e.transactions().filter((t) => t.reason === "MARKET_ORDER_MARGIN_CLOSEOUT");
    expect(fills.map((f) => f.units)).toEqual(["-15000", "5000"]);
  });
});

describe("scenario: account options", () => {
  it("closeoutRule is japan or half; anything else names the key", () => {
    expect(parseScenario({ account: { closeoutRule: "half" } }).account.closeoutRule).toBe("half");
    expect(() => parseScenario({ account: { closeoutRule: "uk" } })).toThrow(ScenarioError);
    expect(() => parseScenario({ account: { closeoutRule: "uk" } })).toThrow(/^account\.closeoutRule:/);
  });

  it("the memo's net picture stays available: a hedge frees margin", () => {
    const e = engineWith({ account: { marginModel: "net" }, positions: [{ instrument: "USD_JPY", short: 45_000, price: 155 }] });
    expect(body(e.createOrder(market(50_000))).orderFillTransaction).toBeDefined();
    expect(e.numbers().marginUsed).toBeCloseTo(5_000 * 155.004 * 0.04, 6);
  });
});
