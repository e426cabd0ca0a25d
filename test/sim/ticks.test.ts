import { describe, expect, it } from "vitest";
import { defaultInstruments } from "../../src/core/instruments.ts";
import { parseScenario, ScenarioError } from "../../src/sim/index.ts";
import { SyntheticTicks } from "../../src/sim/synthetic.ts";
import { SimEngine } from "../../src/sim/engine.ts";
import { startTicks } from "../../src/sim/ticks.ts";
import { hasSharedData, sharedPath } from "../helpers/shared-data.ts";

const usdjpy = defaultInstruments().get("USD_JPY");

describe("synthetic ticks", () => {
  const run = (seed: number, n: number) => {
    const g = new SyntheticTicks(usdjpy, { bid: 155, ask: 155.008 }, seed, 4);
    return Array.from({ length: n }, () => g.next());
  };

  it("the same seed gives the same prices; another seed does not", () => {
    expect(run(7, 200)).toEqual(run(7, 200));
    expect(run(8, 200)).not.toEqual(run(7, 200));
  });

  it("looks like USD/JPY: a few ticks a second, spreads mostly 0.2-1.5 pips, never crossed, prices on the 0.001 grid", () => {
    const ticks = run(42, 20_000);
    const spreads = ticks.map((t) => Math.round((t.ask - t.bid) * 1000) / 10); // pips
    expect(ticks.every((t) => t.ask > t.bid)).toBe(true);
    expect(ticks.every((t) => Math.abs(t.bid * 1000 - Math.round(t.bid * 1000)) < 1e-6)).toBe(true);
    const within = spreads.filter((s) => s >= 0.1 && s <= 1.6).length / spreads.length;
    expect(within).toBeGreaterThan(0.9);
    expect(spreads.some((s) => s > 2)).toBe(true); // occasional wide spread
    const meanGap = ticks.reduce((s, t) => s + t.dtMs, 0) / ticks.length;
    expect(meanGap).toBeGreaterThan(150);
    expect(meanGap).toBeLessThan(400);
    const mids = ticks.map((t) => (t.bid + t.ask) / 2);
    expect(Math.max(...mids) - Math.min(...mids)).toBeLessThan(5); // ~1.4 hours of simulated time
  });
});

describe("csv source: recorded prices through the shared readers (src/marketdata)", () => {
  const clock = { now: () => Date.UTC(2026, 0, 5, 12) };

  it("a file it cannot read is one ScenarioError naming ticks.path", () => {
    const engine = new SimEngine(parseScenario({ ticks: { source: "fixed" } }), clock);
    expect(() => startTicks(engine, parseScenario({ ticks: { source: "csv", path: "/nonexistent/usdjpy.csv" } }).ticks)).toThrow(ScenarioError);
    expect(() => startTicks(engine, parseScenario({ ticks: { source: "csv", path: "/nonexistent/usdjpy.csv" } }).ticks)).toThrow(/ticks\.path/);
  });

  describe.skipIf(!hasSharedData)("on the real files in ../shared/data", () => {
    it("replays the nautilus TrueFX USD/JPY ticks, starting at the file's first price", () => {
      const engine = new SimEngine(parseScenario({ ticks: { source: "fixed" } }), clock);
      const driver = startTicks(engine, parseScenario({ ticks: { source: "csv", path: sharedPath("usdjpy", "nautilus_trader", "truefx", "usdjpy-ticks.csv") } }).ticks);
      try {
        expect(engine.price("USD_JPY")).toMatchObject({ bid: 86.655, ask: 86.728 });
        expect(driver.remaining).toBeGreaterThan(900);
      } finally {
        driver.stop();
      }
    });

    it("replays FXCM bid/ask minute bars (a format only the shared readers know)", () => {
      const engine = new SimEngine(parseScenario({ ticks: { source: "fixed" } }), clock);
      const dir = ["usdjpy", "nautilus_trader", "fxcm"] as const;
      const t = parseScenario({ ticks: { source: "csv", path: sharedPath(...dir, "usdjpy-m1-bid-2013.csv"), askPath: sharedPath(...dir, "usdjpy-m1-ask-2013.csv") } }).ticks;
      const driver = startTicks(engine, t);
      try {
        const p = engine.price("USD_JPY")!;
        expect(p.bid).toBeGreaterThan(90);
        expect(p.bid).toBeLessThan(95);
        expect(p.ask).toBeGreaterThanOrEqual(p.bid);
      } finally {
        driver.stop();
      }
    });
  });
});

describe("scenario", () => {
  it("defaults to an OANDA Japan JPY 500,000 hedging account (larger-side margin, 100% loss-cut) on USD_JPY with synthetic ticks", () => {
    const s = parseScenario({});
    expect(s.account).toEqual({ id: "101-001-0000000-001", currency: "JPY", balance: 500_000, marginRate: 0.04, hedgingEnabled: true, marginModel: "max_side", closeoutRule: "japan" });
    expect(s.financing.enabled).toBe(true);
    expect(s.maintenance).toBe(true);
    expect(s.execution).toEqual({ slippagePips: 0.1, maxSlippagePips: 1, submitLatencyMs: 0, seed: 7 });
    expect(Object.keys(s.instruments)).toEqual(["USD_JPY"]);
    expect(s.ticks.source).toBe("synthetic");
    expect(s.heartbeatMs).toBe(5000);
  });

  it("names the bad key in one line", () => {
    expect(() => parseScenario({ account: { marginModel: "gross" } })).toThrow(ScenarioError);
    expect(() => parseScenario({ account: { marginModel: "gross" } })).toThrow(/^account\.marginModel:/);
    expect(() => parseScenario({ acount: {} })).toThrow(/acount/);
    expect(() => parseScenario({ ticks: { source: "csv" } })).toThrow(/ticks.*path/);
    expect(() => parseScenario({ positions: [{ instrument: "EUR_USD", long: 1 }] })).toThrow(/positions\.0\.instrument/);
  });
});
