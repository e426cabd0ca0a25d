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
