// The scorecard's costs are the simulator's fills: on a fixture built here, the spread and
// slippage it charges each strategy equal what the fills paid against the fixture's own quotes,
// to the yen, and its net P/L is the simulator's realized P/L.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { runReplay } from "../../src/replay/run.ts";
import { scoreRun, tradingDaysOf } from "../../src/evaluate/score.ts";
import type { OandaTransaction } from "../../src/ledger/index.ts";
import { buildTicks, LEGS, source } from "./fixture.ts";

const config = (env: Record<string, string>) => parseConfig({ LOG_LEVEL: "silent", ...env }).config;
const FAST_ALONE = { FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0" };

describe("scorecard costs against the simulator's fills", () => {
  it("fast_scalp: spread, slippage and net P/L to the yen", async () => {
    const ticks = buildTicks(LEGS);
    const byTime = new Map(ticks.map((t) => [t.time, t]));
    const { transactions } = await runReplay({ config: config(FAST_ALONE), source: source(ticks), instrument: "USD_JPY", ticksFile: "fixture" });
    const txs = transactions as unknown as OandaTransaction[];
    const score = scoreRun(txs, { pip: 0.01, days: tradingDaysOf(ticks.map((t) => t.time)) }).get("tick_momentum")!;
    expect(score.trades).toBeGreaterThanOrEqual(3); // the fixture makes it trade, else this proves nothing

    // Independently: every fill of a trade the scorecard counted, against the fixture's quote at that moment.
    const closedIds = new Set<string>();
    for (const tx of txs) for (const c of ((tx as { tradesClosed?: { tradeID: string }[] }).tradesClosed ?? [])) closedIds.add(String(c.tradeID));
    let spread = 0, slippage = 0, realized = 0;
    for (const tx of txs) {
      if (tx.type !== "ORDER_FILL") continue;
      const f = tx as unknown as { time: string; price: string; tradeOpened?: { tradeID: string; units: string }; tradesClosed?: { tradeID: string; units: string; realizedPL: string }[] };
      const q = byTime.get(Date.parse(f.time))!;
      expect(q, `a quote at ${f.time}`).toBeDefined();
      const legs = [...(f.tradeOpened ? [f.tradeOpened] : []), ...(f.tradesClosed ?? [])].filter((l) => closedIds.has(String(l.tradeID)));
      for (const l of legs) {
        const units = Number(l.units);
        spread += ((q.ask - q.bid) / 2) * Math.abs(units);
        const side = units > 0 ? q.ask : q.bid;
        slippage += Math.max(0, (Number(f.price) - side) * units);
        if ("realizedPL" in l) realized += Number(l.realizedPL);
      }
    }
    expect(spread).toBeGreaterThan(0);
    expect(Math.abs(score.spreadCost - spread)).toBeLessThan(1);
    expect(Math.abs(score.slippageCost - slippage)).toBeLessThan(1);
    expect(Math.abs(score.netPL - (realized + score.financing))).toBeLessThan(1);
  });
});
