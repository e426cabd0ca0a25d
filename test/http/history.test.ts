// GET /history over the account snapshots the agent records: the series asked for, in time
// order, within the window, thinned evenly with the last point kept; bad input is a 400.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { thin } from "../../src/store/history.ts";
import { startApi, type TestApi } from "./serve.ts";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const T0 = Date.parse("2026-01-05T00:00:00Z");
const snap = (i: number) => ({
  id: "101-009-1234567-001", currency: "JPY", balance: 500_000, nav: 500_000 + i * 100, unrealizedPL: i * 100,
  marginUsed: 10_000 * i, marginAvailable: 500_000 + i * 100 - 10_000 * i, marginCloseoutPercent: 0, hedgingEnabled: true,
  lastTransactionID: String(i), positions: [], asOf: T0 + i * 60_000,
});

describe("GET /history", () => {
  it("answers the requested series as [time, value] pairs, oldest first, from `since` on", async () => {
    api = await startApi();
    for (let i = 0; i < 10; i++) await api.deps.journal.snapshots.insert(snap(i));
    const res = await fetch(`${api.base}/history?series=nav,margin_usage_ratio,margin_used&since=${new Date(T0 + 5 * 60_000).toISOString()}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body.series)).toEqual(["nav", "margin_usage_ratio", "margin_used"]);
    expect(body.series.nav).toEqual([5, 6, 7, 8, 9].map((i) => [T0 + i * 60_000, 500_000 + i * 100]));
    expect(body.series.margin_usage_ratio[0]).toEqual([T0 + 5 * 60_000, Math.round((50_000 / 500_500) * 1e6) / 1e6]);
    expect(body.intervalSec).toBe(60);
  });

  it("thins a long range to `max` points and keeps the last one; until is exclusive", async () => {
    api = await startApi();
    for (let i = 0; i < 30; i++) await api.deps.journal.snapshots.insert(snap(i));
    const body = await (await fetch(`${api.base}/history?series=nav&since=${T0}&max=4`)).json();
    expect(body.series.nav.map((p: number[]) => p[0])).toEqual([0, 10, 19, 29].map((i) => T0 + i * 60_000));
    const cut = await (await fetch(`${api.base}/history?series=balance&since=${T0}&until=${T0 + 3 * 60_000}`)).json();
    expect(cut.series.balance).toHaveLength(3);
  });

  it("refuses unknown series, bad times and unknown parameters with 400 invalid_request", async () => {
    api = await startApi();
    for (const q of ["series=nav,bogus", "since=yesterday", "max=1", "max=99999", "foo=1"]) {
      const res = await fetch(`${api.base}/history?${q}`);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code, q).toBe("invalid_request");
    }
  });
});

describe("thin", () => {
  it("keeps at most max rows, in order, always the first and the last", () => {
    fc.assert(fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 300 }), fc.integer({ min: 2, max: 100 }), (rows, max) => {
      const idx = rows.map((_, i) => i);
      const t = thin(idx, max);
      expect(t.length).toBe(Math.min(rows.length, max));
      expect(t[0]).toBe(0);
      expect(t.at(-1)).toBe(rows.length - 1);
      for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    }));
  });
});
