// The entry workers' trade-frequency budget: orders per minute (fast_scalp), hour and day, on
// sliding windows; the first window at its limit refuses the next order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { budgetBreach, DAY_MS, HOUR_MS, OrderBudget } from "../../src/workers/order-budget.ts";
import { evaluateFastScalp, fastScalpSettings } from "../../src/workers/fast_scalp/rules.ts";

describe("OrderBudget", () => {
  it("counts orders in the last minute, hour and 24 h, and forgets older ones", () => {
    const b = new OrderBudget();
    const t0 = 1_700_000_000_000;
    b.record(t0);
    b.record(t0 + 30_000);
    b.record(t0 + 2 * HOUR_MS);
    expect(b.counts(t0 + 2 * HOUR_MS + 1)).toEqual({ minute: 1, hour: 1, day: 3 });
    expect(b.counts(t0 + DAY_MS + 30_001)).toEqual({ minute: 0, hour: 0, day: 1 });
  });

  it("property: the same counts as a scan of every order time (the version before binary search), clock steps back included", () => {
    /** The scan it replaced. */
    class Scan {
      times: number[];
      constructor(past: number[]) {
        this.times = [...past].sort((a, b) => a - b);
      }
      counts(now: number) {
        let drop = 0;
        while (drop < this.times.length && now - this.times[drop]! >= DAY_MS) drop++;
        this.times = this.times.slice(drop);
        let minute = 0, hour = 0;
        for (const t of this.times) {
          if (now - t < HOUR_MS) hour++;
          if (now - t < 60_000) minute++;
        }
        return { minute, hour, day: this.times.length };
      }
    }
    const t0 = 1_700_000_000_000;
    const step = fc.record({
      dt: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 2 * HOUR_MS }), fc.constantFrom(60_000, HOUR_MS, DAY_MS), fc.integer({ min: -HOUR_MS, max: -1 })),
      order: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(fc.integer({ min: -DAY_MS, max: 0 }), { maxLength: 20 }), fc.array(step, { maxLength: 3_000 }), fc.boolean(), (past, steps, monotone) => {
      const b = new OrderBudget(past.map((d) => ({ instrument: "USD_JPY", at: t0 + d })));
      const ref = new Scan(past.map((d) => t0 + d));
      let now = t0;
      for (const s of steps) {
        now += monotone ? Math.abs(s.dt) : s.dt;
        if (s.order) {
          b.record(now);
          ref.times.push(now);
        }
        expect(b.counts(now)).toEqual(ref.counts(now));
      }
    }), { numRuns: 200 });
  });

  it("a breach is reported exactly when a window holds its limit or more (property)", () => {
    fc.assert(fc.property(fc.nat(50), fc.nat(50), fc.nat(50), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (m, h, d, perHour, perDay) => {
      const c = { minute: m, hour: Math.max(m, h), day: Math.max(m, h, d) };
      const b = budgetBreach(c, { perHour, perDay });
      expect(b !== undefined).toBe(c.hour >= perHour || c.day >= perDay);
      if (b) expect(b.orders).toBeGreaterThanOrEqual(b.limit);
    }));
  });
});

describe("fast_scalp's rate gate covers the hour and the day", () => {
  const S = fastScalpSettings(parseConfig({ FAST_SCALP_MAX_ORDERS_PER_HOUR: "5", FAST_SCALP_MAX_ORDERS_PER_DAY: "7" }).config);
  const T0 = Date.UTC(2024, 0, 8, 9, 0);
  const pip = 0.01;
  // A clean upward run: every other gate passes.
  const window = Array.from({ length: 12 }, (_, i) => ({ bid: 150 + i * 0.5 * pip - 0.0025, ask: 150 + i * 0.5 * pip + 0.0025, mid: 150 + i * 0.5 * pip, spreadPips: 0.5, time: T0 + i * 1000, receivedAt: T0 + i * 1000, tradeable: true }));
  const input = (hour: number, day: number) => ({ now: T0 + 11_000, latest: window[11], previous: window[10], window, pip, ordersLastMinute: 0, ordersLastHour: hour, ordersLastDay: day });

  it("under both limits it signals; at the hour's or the day's limit it skips rate_limit naming the window", () => {
    expect(evaluateFastScalp(input(4, 6), S).ok).toBe(true);
    expect(evaluateFastScalp(input(5, 5), S)).toMatchObject({ ok: false, reason: "rate_limit", detail: { window: "hour", limit: 5 } });
    expect(evaluateFastScalp(input(0, 7), S)).toMatchObject({ ok: false, reason: "rate_limit", detail: { window: "day", limit: 7 } });
  });
});
