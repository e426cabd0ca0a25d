// Trades from OANDA-shaped fills, their CSV, and the per-strategy statistics of a backtest.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ReplayTrade, tradesCsv, tradesFromTransactions } from "../../src/replay/trades.ts";
import { performance, performanceByGroup } from "../../src/replay/stats.ts";

const fill = (time: string, reason: string, extra: Record<string, unknown>) => ({ type: "ORDER_FILL", instrument: "USD_JPY", time, reason, ...extra });

describe("trades from the simulator's transactions", () => {
  const txs = [
    { type: "MARKET_ORDER", time: "t0" },
    fill("2013-02-25T00:00:00Z", "MARKET_ORDER", { tradeOpened: { tradeID: "10", units: "10000", price: "94.000", clientExtensions: { id: "sk-a", tag: "sekisho:micro:range_break" } } }),
    fill("2013-02-25T00:01:00Z", "MARKET_ORDER", { tradeOpened: { tradeID: "11", units: "-5000", price: "94.010" } }),
    fill("2013-02-25T00:02:00Z", "MARKET_ORDER", { tradeReduced: { tradeID: "10", units: "-4000", price: "94.100", realizedPL: "400.0000" } }),
    fill("2013-02-25T00:03:00Z", "TAKE_PROFIT_ORDER", { tradesClosed: [{ tradeID: "10", units: "-6000", price: "94.200", realizedPL: "1200.0000" }] }),
    fill("2013-02-25T00:04:00Z", "MARKET_ORDER", { tradesClosed: [{ tradeID: "99", units: "1000", price: "94.2", realizedPL: "-10" }] }),
  ];

  it("opens on tradeOpened, closes in parts, and keeps who opened it", () => {
    const [a, b] = tradesFromTransactions(txs);
    expect(a).toMatchObject({
      id: "10", side: "buy", units: 10000, openPrice: 94, state: "closed", closeTime: "2013-02-25T00:03:00Z", closedUnits: 10000,
      realizedPL: 1600, closePrice: 94.16, pocket: "micro", strategy: "range_break", clientId: "sk-a", closedBy: ["MARKET_ORDER", "TAKE_PROFIT_ORDER"],
    });
    // No sekisho tag: a trade sekisho did not open.
    expect(b).toMatchObject({ id: "11", side: "sell", units: 5000, state: "open", closeTime: null, pocket: "manual", strategy: "manual" });
  });

  it("writes CSV with a header, one row per trade, quoting only where needed", () => {
    const csv = tradesCsv(tradesFromTransactions(txs));
    const rows = csv.trimEnd().split("\r\n");
    expect(rows[0]).toBe("id,instrument,side,units,openTime,openPrice,closeTime,closePrice,closedUnits,realizedPL,state,pocket,strategy,clientId,closedBy");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toBe("10,USD_JPY,buy,10000,2013-02-25T00:00:00Z,94,2013-02-25T00:03:00Z,94.16,10000,1600,closed,micro,range_break,sk-a,MARKET_ORDER TAKE_PROFIT_ORDER");
    expect(tradesCsv([{ ...tradesFromTransactions(txs)[0]!, strategy: 'a,"b"' }])).toContain('"a,""b"""');
  });
});

const trade = (pl: number, i: number, over: Partial<ReplayTrade> = {}): ReplayTrade => ({
  id: String(i), instrument: "USD_JPY", side: "buy", units: 1000, openTime: `2013-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`, openPrice: 1,
  closeTime: `2013-01-01T01:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`, closePrice: 1, closedUnits: 1000,
  realizedPL: pl, state: "closed", pocket: "micro", strategy: "s", clientId: null, closedBy: [], ...over,
});

describe("performance of closed trades", () => {
  it("win rate, profit factor, expectancy, drawdown and Sharpe of a known series", () => {
    const p = performance([100, -50, 200, -100, -100].map((x, i) => trade(x, i)));
    expect(p).toMatchObject({ trades: 5, wins: 2, losses: 3, winRate: 0.4, grossProfit: 300, grossLoss: -250, netPL: 50, profitFactor: 1.2, expectancy: 10, maxDrawdown: 200 });
    // mean 10, sample standard deviation sqrt(72000 / 4) = 134.16: 10 / 134.16 = 0.0745
    expect(p.sharpe).toBe(0.075);
    expect(performance([])).toMatchObject({ trades: 0, winRate: null, profitFactor: null, expectancy: null, sharpe: null, maxDrawdown: 0 });
    // Nothing lost: the profit factor is undefined, not infinite.
    expect(performance([trade(5, 0), trade(7, 1)]).profitFactor).toBeNull();
  });

  it("for any P/L series: counts add up, win rate in [0,1], expectancy x trades = net, drawdown within [0, gross loss]", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -5000, max: 5000 }), { maxLength: 80 }), (pls) => {
      const p = performance(pls.map((x, i) => trade(x, i)));
      expect(p.trades).toBe(pls.length);
      expect(p.wins + p.losses).toBeLessThanOrEqual(p.trades);
      if (p.winRate !== null) expect(p.winRate).toBeGreaterThanOrEqual(0), expect(p.winRate).toBeLessThanOrEqual(1);
      if (p.expectancy !== null) expect(Math.abs(p.expectancy * p.trades - p.netPL)).toBeLessThan(0.01 * p.trades + 0.01);
      expect(p.maxDrawdown).toBeGreaterThanOrEqual(0);
      expect(p.maxDrawdown).toBeLessThanOrEqual(-p.grossLoss + 0.01);
      // Profit factor above 1 exactly when the trades made money (at 3 decimals, a hair either side of 1 is 1).
      if (p.profitFactor !== null && p.netPL > 0) expect(p.profitFactor).toBeGreaterThanOrEqual(1);
      if (p.profitFactor !== null && p.netPL < 0) expect(p.profitFactor).toBeLessThanOrEqual(1);
    }));
  });

  it("groups by strategy and pocket; open trades and manual trades stay out of the totals", () => {
    const ts = [trade(10, 0), trade(-5, 1, { strategy: "t" }), trade(0, 2, { state: "open", closeTime: null }), trade(99, 3, { pocket: "manual", strategy: "manual" })];
    const g = performanceByGroup(ts);
    expect(g.groups.map((x) => [x.strategy, x.pocket, x.trades, x.open])).toEqual([["manual", "manual", 1, 0], ["s", "micro", 1, 1], ["t", "micro", 1, 0]]);
    expect(g.all).toMatchObject({ trades: 2, open: 1, netPL: 5 });
  });
});
