// The engine answers numbers() from its last walk over the open trades until something the
// figures depend on changes. A change it missed would show as stale figures; so the same random
// history is played on two engines, one asked for its numbers after every step (the memo kept
// warm) and one asked only at the end, and their answers must agree at every checkpoint.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { engineWith, ManualClock, market } from "./helpers.ts";

type Step =
  | { kind: "tick"; move: number; spread: number }
  | { kind: "order"; units: number; tp?: number; sl?: number }
  | { kind: "closeTrade"; pick: number; units?: number }
  | { kind: "closePosition"; side: "long" | "short" }
  | { kind: "wait"; hours: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("tick" as const), move: fc.integer({ min: -300, max: 300 }), spread: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant("order" as const), units: fc.integer({ min: -400_000, max: 400_000 }).filter((u) => u !== 0), tp: fc.option(fc.integer({ min: 5, max: 200 }), { nil: undefined }), sl: fc.option(fc.integer({ min: 5, max: 200 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant("closeTrade" as const), pick: fc.nat(), units: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant("closePosition" as const), side: fc.constantFrom("long" as const, "short" as const) }),
  fc.record({ kind: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 30 }) }),
);

function play(steps: Step[], askEveryStep: boolean) {
  const clock = new ManualClock();
  const e = engineWith({ account: { balance: 1_000_000 } }, clock);
  let mid = 155;
  const seen: unknown[] = [];
  for (const s of steps) {
    if (s.kind === "tick") {
      mid = Math.max(50, mid + s.move / 1000);
      clock.advance(1000);
      e.applyTick({ instrument: "USD_JPY", bid: mid, ask: mid + s.spread / 1000, time: clock.now() });
    } else if (s.kind === "order") {
      const extra: Record<string, unknown> = {};
      const side = Math.sign(s.units);
      if (s.tp) extra.takeProfitOnFill = { price: (mid + (side * s.tp) / 100).toFixed(3) };
      if (s.sl) extra.stopLossOnFill = { price: (mid - (side * s.sl) / 100).toFixed(3) };
      e.createOrder(market(s.units, extra));
    } else if (s.kind === "closeTrade") {
      const open = e.openTrades();
      if (open.length > 0) e.closeTrade(open[s.pick % open.length]!.id, s.units === undefined ? {} : { units: String(s.units) });
    } else if (s.kind === "closePosition") {
      e.closePosition("USD_JPY", s.side === "long" ? { longUnits: "ALL" } : { shortUnits: "ALL" });
    } else {
      clock.advance(s.hours * 3_600_000);
      e.advanceClock();
    }
    if (askEveryStep) seen.push(structuredClone(e.numbers()));
  }
  return { end: structuredClone(e.numbers()), seen, e };
}

describe("sim engine: numbers() between changes", () => {
  it("after any history of prices, fills, closes, stop triggers, financing and closeouts, equals a fresh walk", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const warm = play(steps, true);
        // Every prefix: the figures the warm engine gave after step i are those a cold engine reaches after the same steps.
        for (let i = 0; i < steps.length; i += Math.max(1, Math.floor(steps.length / 5))) {
          expect(warm.seen[i]).toEqual(play(steps.slice(0, i + 1), false).end);
        }
        expect(warm.end).toEqual(play(steps, false).end);
      }),
      { numRuns: 150 },
    );
  });

  it("with nothing open, prices do not move the figures while every mid is in the conversion range; outside it (a conversion overflowing) they do", () => {
    // A JPY account holding nothing: the margin sum is 0 units times each conversion. EUR_USD
    // converts through USD_JPY, so two huge mids overflow its conversion to Infinity and the sum
    // to NaN, as a fresh walk says; back in range, 0 again.
    const scenario = { account: { currency: "JPY" }, instruments: { USD_JPY: { bid: 155, ask: 155.01 }, EUR_USD: { bid: 1.08, ask: 1.0801 } } };
    const prices: Array<[string, number]> = [
      ["USD_JPY", 156], ["EUR_USD", 1.1], ["USD_JPY", 1e200], ["EUR_USD", 1e200], ["EUR_USD", 1.1], ["USD_JPY", 1e-200], ["EUR_USD", 1e-200], ["USD_JPY", 150], ["EUR_USD", 1.2], ["USD_JPY", 151],
    ];
    const clock = new ManualClock();
    const warm = engineWith(scenario, clock);
    const seen: unknown[] = [];
    for (const [instrument, mid] of prices) {
      clock.advance(1000);
      warm.applyTick({ instrument, bid: mid, ask: mid, time: clock.now() });
      seen.push(structuredClone(warm.numbers()));
    }
    for (let i = 0; i < prices.length; i++) {
      const c = new ManualClock();
      const cold = engineWith(scenario, c);
      for (const [instrument, mid] of prices.slice(0, i + 1)) {
        c.advance(1000);
        cold.applyTick({ instrument, bid: mid, ask: mid, time: c.now() });
      }
      expect(seen[i], `after ${i + 1} prices`).toEqual(structuredClone(cold.numbers()));
    }
    expect((seen[3] as { marginUsed: number }).marginUsed).toBeNaN();
    expect((seen[9] as { marginUsed: number }).marginUsed).toBe(0);
  });

  it("is the same object between changes and a new one after a price moves", () => {
    const clock = new ManualClock();
    const e = engineWith({}, clock);
    e.createOrder(market(10_000));
    const a = e.numbers();
    expect(e.numbers()).toBe(a);
    e.applyTick({ instrument: "USD_JPY", bid: 155.1, ask: 155.11, time: clock.now() });
    expect(e.numbers()).not.toBe(a);
    expect(e.numbers().unrealizedPL).not.toBe(a.unrealizedPL);
  });
});
