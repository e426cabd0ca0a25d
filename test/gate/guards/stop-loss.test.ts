// Protective stops: every entry of every worker carries a stop loss on fill, within
// [MIN_SL_PIPS, MAX_SL_PIPS]; a stop under the floor is widened and the decision says so.
// The pure rule, then the real signals each worker publishes, through the gate, at the simulator.
import { afterEach, describe, expect, it } from "vitest";
import { protectiveStop } from "../../../src/gate/guards/stop-loss.ts";
import type { Signal } from "../../../src/core/types.ts";
import { entry, jpyScenario, type Rig, startRig } from "../../helpers/trading-rig.ts";
import { harness as fastScalpHarness } from "../../workers/fast_scalp/helpers.ts";
import { parseConfig } from "../../../src/config/load.ts";
import { defaultInstruments } from "../../../src/core/instruments.ts";
import { silentLogger } from "../../../src/core/log.ts";
import { MarketState } from "../../../src/state/market-state.ts";
import { MicroMultistratWorker } from "../../../src/workers/micro_multistrat/worker.ts";
import * as F from "../../workers/micro_multistrat/fixtures.ts";

const S = { require: true, minPips: 2, maxPips: 50 };

describe("protectiveStop", () => {
  it("widens a stop under the floor, tightens one over the ceiling, keeps one inside", () => {
    expect(protectiveStop(1.2, true, S)).toEqual({ pips: 2, requestedPips: 1.2, adjusted: "widened" });
    expect(protectiveStop(80, true, S)).toEqual({ pips: 50, requestedPips: 80, adjusted: "tightened" });
    expect(protectiveStop(6, true, S)).toEqual({ pips: 6, requestedPips: 6, adjusted: null });
  });

  it("an entry without a stop gets the ceiling, unless REQUIRE_STOP_LOSS=0", () => {
    expect(protectiveStop(undefined, false, S)).toEqual({ pips: 50, requestedPips: null, adjusted: "defaulted" });
    expect(protectiveStop(4, false, S)).toEqual({ pips: 50, requestedPips: null, adjusted: "defaulted" });
    expect(protectiveStop(undefined, false, { ...S, require: false })).toEqual({ requestedPips: null, adjusted: null });
    expect(protectiveStop(1, true, { ...S, require: false })).toMatchObject({ pips: 2, adjusted: "widened" });
  });
});

/** What fast_scalp publishes on a steady rise, with its stop set by FAST_SCALP_SL_PIPS. */
function fastScalpEntry(slPips: string): Signal {
  const h = fastScalpHarness({ FAST_SCALP_SL_PIPS: slPips });
  h.run(10);
  expect(h.published).toHaveLength(1);
  return h.published[0]!;
}

/** What micro_multistrat's momentum_burst publishes, with its stop set by MICRO_SL_PIPS. */
function microEntry(slPips: string): Signal {
  const config = parseConfig({ MICRO_MULTISTRAT_ENABLED: "1", MICRO_STRATEGY_ALLOWLIST: "momentum_burst", MICRO_SL_PIPS: slPips }).config;
  const clock = { t: 0, now() { return this.t; } };
  const instruments = defaultInstruments();
  const market = new MarketState({ instruments, clock });
  const published: Signal[] = [];
  const worker = new MicroMultistratWorker({ config, market, clock, instruments, log: silentLogger, publish: (s) => published.push(s), metrics: { skip: () => {} } });
  const cs = F.burst(1);
  market.seedCandles("USD_JPY", cs);
  clock.t = cs.at(-1)!.time + 60_500;
  worker.onCandleClosed("USD_JPY");
  expect(published).toHaveLength(1);
  return published[0]!;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("every worker's entries carry a stop on fill, at least MIN_SL_PIPS away (simulator)", () => {
  it("fast_scalp, micro_multistrat and operator entries: the stop at the broker is widened to the floor", async () => {
    rig = await startRig({ scenario: jpyScenario(), env: { MIN_SL_PIPS: "2", MAX_SL_PIPS: "50", POCKET_RULES: JSON.stringify({ micro: { cooldownSec: 0 }, scalp_fast: { cooldownSec: 0 } }) } });
    const r = rig;
    const cases: Array<[string, Signal, number, string | null]> = [
      ["fast_scalp", fastScalpEntry("1"), 2, "widened"],
      ["micro_multistrat", microEntry("1.5"), 2, "widened"],
      ["micro_multistrat (inside the bounds)", microEntry("6"), 6, null],
      ["operator without a stop", entry({ proposedUnits: 1_000 }), 50, "defaulted"],
    ];
    for (const [name, published, pips, adjusted] of cases) {
      // The worker's own signal, re-timed to now (the harnesses run on their own clocks).
      const s: Signal = { ...published, id: `${published.id}-${name.length}-${Date.now()}`, createdAt: Date.now(), tickReceivedAt: undefined, proposedUnits: 1_000 };
      await r.refreshPrices();
      const d = await r.gate.process(s);
      expect(d, name).toMatchObject({ outcome: "accepted", detail: { stopLoss: { pips, adjusted } } });
      const trade = (await r.client.openTrades()).find((t) => t.clientExtensions?.id === d.clientId);
      expect(trade, name).toBeDefined();
      expect(trade!.stopLossPrice, name).toBeDefined();
      const distancePips = Math.abs(trade!.price - trade!.stopLossPrice!) / 0.01;
      expect(distancePips, name).toBeCloseTo(pips, 0);
      expect(distancePips, name).toBeGreaterThanOrEqual(2 - 1e-6);
      expect(trade!.side === "buy" ? trade!.stopLossPrice! < trade!.price : trade!.stopLossPrice! > trade!.price, name).toBe(true);
    }
  });

  it("hedge_balancer's reduce-only orders carry no stop (they close, they do not open)", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0 }] }) });
    const d = await rig.gate.process(entry({ worker: "hedge_balancer", side: "sell", reduceOnly: true, proposedUnits: 10_000, slPips: 5, tpPips: 5 }));
    expect(d).toMatchObject({ outcome: "accepted" });
    expect(d.detail.stopLoss).toBeUndefined();
    expect(d.detail.slTpPipsNotAttached).toEqual({ sl: 5, tp: 5 });
  });

  it("REQUIRE_STOP_LOSS=0: an operator entry without a stop goes without one", async () => {
    rig = await startRig({ scenario: jpyScenario(), env: { REQUIRE_STOP_LOSS: "0" } });
    const d = await rig.gate.process(entry({ proposedUnits: 1_000 }));
    expect(d).toMatchObject({ outcome: "accepted", detail: { stopLoss: { adjusted: null } } });
    const trade = (await rig.client.openTrades()).find((t) => t.clientExtensions?.id === d.clientId);
    expect(trade!.stopLossPrice).toBeUndefined();
  });
});
