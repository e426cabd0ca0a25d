import { describe, expect, it } from "vitest";
import { defaultInstruments } from "../../src/core/instruments.ts";
import { parseScenario, ScenarioError } from "../../src/sim/index.ts";
import { SyntheticTicks } from "../../src/sim/synthetic.ts";
import { instrumentFromPath, parseTickCsv, readTickFile } from "../../src/sim/tick-csv.ts";
import { hasSharedData, readShared, readSharedZipEntry, sharedPath } from "../helpers/shared-data.ts";

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

describe("tick csv formats", () => {
  it("parses ISO, TrueFX native and LEAN ms rows and skips crossed ones", () => {
    const p = parseTickCsv("timestamp,bid,ask\n2013-01-01 22:00:00.295000+00:00,86.655,86.728\n2013-01-01T22:00:01Z,86.7,86.6\n");
    expect(p.ticks).toEqual([{ time: Date.UTC(2013, 0, 1, 22, 0, 0, 295), bid: 86.655, ask: 86.728 }]);
    expect(p.skipped).toBe(1);
    expect(parseTickCsv("USD/JPY,20130101 22:00:00.295,86.655,86.728").ticks[0]!.time).toBe(Date.UTC(2013, 0, 1, 22, 0, 0, 295));
    expect(parseTickCsv("1500,1.38,1.3801\r\n", Date.UTC(2014, 4, 1)).ticks[0]!.time).toBe(Date.UTC(2014, 4, 1) + 1500);
    expect(instrumentFromPath("eurusd/lean_oanda/tick/eurusd/20140501_quote.zip")).toBe("EUR_USD");
    expect(instrumentFromPath("usdjpy/nautilus_trader/truefx/usdjpy-ticks.csv")).toBe("USD_JPY");
  });

  describe.skipIf(!hasSharedData)("on the real files in ../shared/data", () => {
    it("reads the nautilus TrueFX USD/JPY ticks", () => {
      const text = readShared("usdjpy", "nautilus_trader", "truefx", "usdjpy-ticks.csv");
      const p = parseTickCsv(text);
      expect(p.ticks.length + p.skipped).toBe(1000);
      expect(p.ticks[0]).toEqual({ time: Date.UTC(2013, 0, 1, 22, 0, 0, 295), bid: 86.655, ask: 86.728 });
    });

    it("reads a zipped LEAN EUR/USD tick file the same way the test helper does", () => {
      const rel = ["eurusd", "lean_oanda", "tick", "eurusd", "20140504_quote.zip"];
      const viaRuntime = readTickFile(sharedPath(...rel));
      const viaHelper = parseTickCsv(readSharedZipEntry(...rel), Date.UTC(2014, 4, 4));
      expect(viaRuntime.ticks.length).toBe(1164 - viaRuntime.skipped);
      expect(viaRuntime).toEqual(viaHelper);
      expect(new Date(viaRuntime.ticks[0]!.time).toISOString()).toMatch(/^2014-05-04T21:00:00\./); // Sunday reopen, UTC
    });
  });
});

describe("scenario", () => {
  it("defaults to a JPY 500,000 hedging account on USD_JPY with synthetic ticks", () => {
    const s = parseScenario({});
    expect(s.account).toEqual({ id: "101-001-0000000-001", currency: "JPY", balance: 500_000, marginRate: 0.04, hedgingEnabled: true, marginModel: "net" });
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
