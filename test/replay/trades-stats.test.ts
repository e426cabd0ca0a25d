// The per-strategy statistics of a backtest (the trades themselves: test/ledger/trade-records.test.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TradeRecord as ReplayTrade } from "../../src/ledger/index.ts";
import { performance, performanceByGroup } from "../../src/replay/stats.ts";

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
