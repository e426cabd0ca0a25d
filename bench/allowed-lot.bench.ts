// allowed_lot runs once per signal on the gate's single consumer, so its throughput bounds how many
// signals per second the gate can size. `npm run bench` reports ops/s (hz) for typical inputs.
import { bench, describe } from "vitest";
import { allowedLot, type LotInput } from "../src/margin/allowed-lot.ts";

const limits = { maxMarginUsage: 0.92, safetyFactor: 0.9, dirCapRatio: 1.0, minFreeMarginRatio: 0.01, allowHedgeOnLowMargin: true };

// The memo's account: NAV 500,000 JPY, 4% margin, USD_JPY ~157, 45k short open.
const base: LotInput = {
  side: "buy",
  long: 0,
  short: 45_000,
  nav: 500_000,
  conversion: 157,
  marginRate: 0.04,
  model: "net",
  unitsPrecision: 0,
  minUnits: 1,
  limits,
};

// A spread of positions so the branch predictor does not see one case only.
const varied: LotInput[] = Array.from({ length: 1024 }, (_, i) => ({
  ...base,
  side: i % 2 === 0 ? "buy" : "sell",
  long: (i * 7_919) % 80_000,
  short: (i * 3_571) % 80_000,
  conversion: 150 + (i % 100) / 10,
  model: i % 3 === 0 ? "max_side" : "net",
  marginUsed: i % 5 === 0 ? 250_000 : undefined,
  requestedUnits: i % 4 === 0 ? 10_000 : undefined,
}));

let sink = 0;

describe("allowedLot", () => {
  bench("memo picture, net model (hedging buy against 45k short)", () => {
    sink += allowedLot(base).maxUnits;
  });

  bench("memo picture, max_side model", () => {
    sink += allowedLot({ ...base, model: "max_side" }).maxUnits;
  });

  let i = 0;
  bench("1024 varied accounts and positions, round robin", () => {
    sink += allowedLot(varied[i++ & 1023]!).maxUnits;
  });
});

// Keep the results observable so the work cannot be optimised away.
export const _sink = () => sink;
