// micro_multistrat switched off: the kernel's stand-in (no strategies, no indicator library)
// answers as the real worker does when MICRO_MULTISTRAT_ENABLED=0, candle after candle, order
// after order; and the kernel builds the stand-in only then.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseConfig } from "../../../src/config/load.ts";
import { defaultInstruments } from "../../../src/core/instruments.ts";
import { DisabledMicroWorker } from "../../../src/workers/micro_multistrat/disabled.ts";
import { MicroMultistratWorker } from "../../../src/workers/micro_multistrat/worker.ts";
import type { Strategy } from "../../../src/workers/micro_multistrat/strategy.ts";
import * as F from "./fixtures.ts";

const MIN = 60_000;

describe("micro_multistrat switched off", () => {
  it("the stand-in gives the disabled worker's answers: no signal, no skip, and the orders it is told of counted", () => {
    const candles = F.wobble(120);
    const always: Strategy<object> = { name: "range_break", params: {}, evaluate: () => ({ side: "buy", confidence: 80, reason: "x" }) };
    fc.assert(
      fc.property(
        fc.array(fc.record({ step: fc.integer({ min: 0, max: 119 }), order: fc.boolean() }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 2 * 86_400_000 }), { maxLength: 5 }),
        (steps, pastAgo) => {
          const now = { t: candles[0]!.time };
          const clock = { now: () => now.t };
          const pastOrders = pastAgo.map((ago) => ({ instrument: "USD_JPY", at: now.t - ago }));
          const config = parseConfig({ MICRO_MULTISTRAT_ENABLED: "0", MICRO_MAX_ORDERS_PER_DAY: "4" }).config;
          let shown = 1;
          const market = { closedCandlesView: () => candles.slice(0, shown), latestPoint: () => undefined };
          const real = new MicroMultistratWorker({ config, market, clock, instruments: defaultInstruments(), publish: () => { throw new Error("published while disabled"); }, strategies: [always], pastOrders });
          const standIn = new DisabledMicroWorker({ clock, pastOrders });
          for (const { step, order } of steps) {
            shown = step + 1;
            now.t = candles[step]!.time + MIN + 500;
            expect(standIn.onCandleClosed("USD_JPY")).toEqual(real.onCandleClosed("USD_JPY"));
            if (order) {
              real.notifyOrder("USD_JPY");
              standIn.notifyOrder("USD_JPY");
            }
            expect(standIn.orderCounts()).toEqual(real.orderCounts());
            expect(standIn.skipCounts()).toEqual(real.skipCounts());
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
