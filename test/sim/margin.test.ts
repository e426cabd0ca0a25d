import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountMargin, instrumentMargin } from "../../src/margin/model.ts";
import { engineWith } from "./helpers.ts";

// The simulator must charge exactly what the agent's margin engine predicts, for both models,
// on arbitrary hedged positions across a JPY cross and a USD cross (conversion through USD_JPY).
describe("sim margin equals src/margin/model.ts", () => {
  for (const model of ["net", "max_side"] as const) {
    it(`${model}: marginUsed on random positions`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 60_000 }),
          fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 30_000 }),
          fc.double({ min: 100, max: 200, noNaN: true }), fc.double({ min: 1.0, max: 1.3, noNaN: true }),
          (uL, uS, eL, eS, usdjpy, eurusd) => {
            const e = engineWith({
              account: { balance: 100_000_000, marginModel: model },
              instruments: { USD_JPY: { bid: 155, ask: 155.008 }, EUR_USD: { bid: 1.1, ask: 1.10008 } },
              positions: [
                { instrument: "USD_JPY", long: uL, short: uS, price: 155 },
                { instrument: "EUR_USD", long: eL, short: eS, price: 1.1 },
              ],
            });
            const uj = Number(usdjpy.toFixed(3));
            const eu = Number(eurusd.toFixed(5));
            e.applyTick({ instrument: "USD_JPY", bid: uj, ask: uj + 0.008 });
            e.applyTick({ instrument: "EUR_USD", bid: eu, ask: eu + 0.0001 });
            const cUJ = uj + 0.004;
            const cEU = (eu + 0.00005) * cUJ; // EUR -> USD -> JPY at mids
            const expected = accountMargin(model, [
              { long: uL, short: uS, conversion: cUJ, marginRate: 0.04 },
              { long: eL, short: eS, conversion: cEU, marginRate: 0.04 },
            ]);
            expect(e.numbers().marginUsed).toBeCloseTo(expected, 6);
            expect(e.instrumentMarginUsed("USD_JPY")).toBeCloseTo(instrumentMargin(model, uL, uS, cUJ, 0.04), 6);
            expect(e.numbers().marginAvailable).toBeCloseTo(Math.max(0, e.numbers().nav - expected), 6);
          },
        ),
        { numRuns: 150, seed: 7 },
      );
    });
  }

  it("the memo's picture: 45k short then a 50k long leaves net +5k and ~31,000 JPY margin", () => {
    // The memo's net picture is a scenario option (a hedging account charging the net, as older platforms did).
    const e = engineWith({ account: { marginModel: "net" }, instruments: { USD_JPY: { bid: 156.996, ask: 157.004 } }, positions: [{ instrument: "USD_JPY", long: 0, short: 45_000, price: 157 }] });
    e.createOrder({ order: { type: "MARKET", instrument: "USD_JPY", units: "50000" } });
    expect(e.exposure("USD_JPY")).toEqual({ long: 50_000, short: 45_000 });
    expect(e.numbers().marginUsed).toBeCloseTo(5_000 * 157 * 0.04, 6); // 31,400
  });
});
