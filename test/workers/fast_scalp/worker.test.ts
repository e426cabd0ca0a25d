import { describe, expect, it } from "vitest";
import { writeLaterLogs } from "../../../src/core/log-later.ts";
import { parseSignal } from "../../../src/bus/signal-schema.ts";
import { harness, PIP, reasons, T0 } from "./helpers.ts";

describe("fast_scalp: the signal", () => {
  it("a steady rise over the window gives one buy signal carrying the config's pocket, units, TP/SL and TTL", () => {
    const h = harness();
    const ds = h.run(10); // 10 ticks, +0.3 pip each: momentum 2.7 pips vs spread 0.5, range 2.7
    expect(reasons(ds)).toEqual([...Array(7).fill("too_few_ticks"), "signal", "pending", "pending"]);
    expect(h.published).toHaveLength(1);
    const s = h.published[0]!;
    expect(parseSignal(s).ok).toBe(true);
    expect(s).toMatchObject({
      worker: "fast_scalp", strategy: "tick_momentum", pocket: "scalp_fast", instrument: "USD_JPY", side: "buy",
      proposedUnits: 10_000, reduceOnly: false, attachSlTp: true, tpPips: 10, slPips: 6, ttlMs: 5000,
      createdAt: T0 + 7000, tickReceivedAt: T0 + 7000,
    });
    expect(s.id).toBe(`fs-USD_JPY-${T0 + 7000}-1`);
    expect(s.confidence).toBeGreaterThanOrEqual(50);
    expect(s.confidence).toBeLessThanOrEqual(100);
  });

  it("a steady fall gives a sell; FAST_SCALP_* settings reach the signal", () => {
    const h = harness({ FAST_SCALP_UNITS: "2500", FAST_SCALP_TP_PIPS: "2.5", FAST_SCALP_SL_PIPS: "3.5", FAST_SCALP_POCKET: "scalp" });
    h.run(8, { stepPips: -0.3 });
    expect(h.published.map((s) => [s.side, s.proposedUnits, s.tpPips, s.slPips, s.pocket])).toEqual([["sell", 2500, 2.5, 3.5, "scalp"]]);
  });

  it("ids are unique and deterministic given the clock", () => {
    const a = harness({ SIGNAL_TTL_MS: "100" });
    const b = harness({ SIGNAL_TTL_MS: "100" });
    a.run(15);
    b.run(15);
    expect(a.published.length).toBeGreaterThan(1);
    expect(a.published.map((s) => s.id)).toEqual(b.published.map((s) => s.id));
    expect(new Set(a.published.map((s) => s.id)).size).toBe(a.published.length);
  });

  it("FAST_SCALP_ENABLED=0: nothing is evaluated or published", () => {
    const h = harness({ FAST_SCALP_ENABLED: "0" });
    expect(reasons(h.run(10))).toEqual(Array(10).fill("disabled"));
    expect(h.published).toEqual([]);
  });
});

describe("fast_scalp: each gate on hand-made ticks", () => {
  it("spread: the latest spread above FAST_SCALP_MAX_SPREAD_PIPS refuses, whatever the momentum", () => {
    const h = harness();
    const ds = h.run(9, { spreadPips: 1.01 });
    expect(reasons(ds)).toEqual(Array(9).fill("spread"));
    expect(h.published).toEqual([]);
    // Exactly at the limit passes the spread gate (the limit is inclusive).
    const ok = harness();
    expect(reasons(ok.run(8, { spreadPips: 1.0 })).at(-1)).toBe("signal");
    // Raising the limit lets the same ticks through.
    expect(reasons(harness({ FAST_SCALP_MAX_SPREAD_PIPS: "1.2" }).run(8, { spreadPips: 1.01 })).at(-1)).toBe("signal");
  });

  it("signal_stale: evaluating when the latest tick is older than FAST_SCALP_MAX_SIGNAL_AGE_MS", () => {
    const h = harness();
    h.run(7);
    h.clock.t = T0 + 6000 + 6000;
    expect(h.worker.onTick("USD_JPY")).toEqual({ action: "skip", reason: "too_few_ticks" }); // 6000 ms: not yet stale
    h.clock.t += 1;
    expect(h.worker.onTick("USD_JPY")).toEqual({ action: "skip", reason: "signal_stale" });
  });

  it("signal_stale: the first tick after a feed pause longer than the limit is refused, and logged under signal_stale", () => {
    const h = harness();
    h.run(10, { stepPips: 0.3 });
    h.published.length = 0;
    // 7 s of silence, then the feed resumes still rising.
    const after = h.tick(9000 + 7000, 150 + 10 * 0.3 * PIP);
    expect(after).toEqual({ action: "skip", reason: "signal_stale" });
    expect(h.published).toEqual([]);
    const line = h.skipLines().find((l) => l.reason === "signal_stale")!;
    expect(line).toMatchObject({ event: "fast_scalp_skip", reason: "signal_stale", signal_stale: true, gapMs: 7000, limitMs: 6000 });
    expect(String(line.msg)).toContain("signal_stale");
    // The memo's relief: a longer limit accepts the same pause.
    const relaxed = harness({ FAST_SCALP_MAX_SIGNAL_AGE_MS: "8000" });
    relaxed.run(10);
    expect(relaxed.tick(16_000, 150 + 10 * 0.3 * PIP)).not.toEqual({ action: "skip", reason: "signal_stale" });
  });

  it("too_few_ticks: fewer than FAST_SCALP_MIN_TICKS in FAST_SCALP_WINDOW_SEC", () => {
    const h = harness({ FAST_SCALP_MIN_TICKS: "5", FAST_SCALP_WINDOW_SEC: "4" });
    // ticks every second: the 4 s window holds 5 ticks from the 5th tick on
    expect(reasons(h.run(5))).toEqual(["too_few_ticks", "too_few_ticks", "too_few_ticks", "too_few_ticks", "signal"]);
    // ticks every 2 s: the window never holds more than 3
    const slow = harness({ FAST_SCALP_MIN_TICKS: "5", FAST_SCALP_WINDOW_SEC: "4" });
    const ds = Array.from({ length: 10 }, (_, i) => slow.tick(i * 2000, 150 + i * 0.005));
    expect(new Set(reasons(ds))).toEqual(new Set(["too_few_ticks"]));
  });

  it("pattern: refuses right after a spike (last move > FAST_SCALP_SPIKE_MULT x the mean move before it)", () => {
    const ticks = (h: ReturnType<typeof harness>) => {
      for (let i = 0; i < 9; i++) h.tick(i * 1000, 150 + (i % 2) * 0.2 * PIP); // wobbling 0.2 pip
      return h.tick(9000, 150 + 3 * PIP); // a 3-pip jump: 15x the mean move
    };
    const h = harness();
    expect(ticks(h)).toEqual({ action: "skip", reason: "pattern" });
    expect(h.skipLines().at(-1)).toMatchObject({ reason: "pattern", lastMovePips: 3, meanMovePips: 0.2, spikeMult: 4 });
    // the same ticks without the pattern gate: the jump is momentum
    expect(ticks(harness({ FAST_SCALP_PATTERN_GATE: "0" })).action).toBe("signal");
    // a looser multiple lets a 15x move through
    expect(ticks(harness({ FAST_SCALP_SPIKE_MULT: "20" })).action).toBe("signal");
  });

  it("cooldown: no signal for FAST_SCALP_COOLDOWN_SEC after an order on the instrument", () => {
    const h = harness();
    expect(reasons(h.run(8)).at(-1)).toBe("signal");
    h.worker.notifyOrder("USD_JPY"); // at T0+7000
    const later = h.run(32, { startMs: 8000, from: 150 + 8 * 0.3 * PIP });
    const rs = reasons(later);
    // T0+8000 .. T0+36999 is within 30 s of the order; T0+37000 is not.
    expect(rs.slice(0, 29)).toEqual(Array(29).fill("cooldown"));
    expect(rs[29]).toBe("signal");
    expect(h.published).toHaveLength(2);
  });

  it("rate_limit: at most FAST_SCALP_MAX_ORDERS_PER_MIN orders a minute, counted across instruments", () => {
    const h = harness({ FAST_SCALP_COOLDOWN_SEC: "0", FAST_SCALP_MAX_ORDERS_PER_MIN: "2" });
    h.worker.notifyOrder("EUR_USD");
    h.worker.notifyOrder("USD_JPY");
    const rs = reasons(h.run(70)); // T0 .. T0+69 s
    expect(rs.slice(7, 60)).toEqual(Array(53).fill("rate_limit"));
    expect(rs[60]).toBe("signal"); // both orders are a minute old at T0+60 s
  });

  it("no_momentum: a move smaller than the spread multiple or than the range fraction is not a signal", () => {
    // back and forth 0.6 pip around where it started: the range is 1.2 pips, the net move at
    // most 0.6 pip, less than 0.6 x range
    const chop = harness();
    const wave = [0, 0.6, 0, -0.6];
    const ds = Array.from({ length: 12 }, (_, i) => chop.tick(i * 1000, 150 + wave[i % 4]! * PIP));
    expect(reasons(ds).slice(7)).toEqual(Array(5).fill("no_momentum"));
    // a clean rise of 0.1 pip per tick: 0.7 pips over the window is less than 2 x 0.5-pip spread
    expect(reasons(harness().run(8, { stepPips: 0.1 })).at(-1)).toBe("no_momentum");
    // ...but enough once FAST_SCALP_MOMENTUM_SPREAD_MULT is lowered
    expect(reasons(harness({ FAST_SCALP_MOMENTUM_SPREAD_MULT: "1" }).run(8, { stepPips: 0.1 })).at(-1)).toBe("signal");
  });

  it("pending: one signal per SIGNAL_TTL_MS per instrument while the previous may still be waiting at the gate", () => {
    const h = harness();
    const rs = reasons(h.run(14));
    expect(rs.slice(7)).toEqual(["signal", "pending", "pending", "pending", "pending", "signal", "pending"]);
  });
});

describe("fast_scalp: skips are logged once per occurrence and counted every time", () => {
  it("logs when the reason changes, counts every evaluation", () => {
    const h = harness();
    h.run(4, { spreadPips: 2 }); // spread x4
    h.run(3, { startMs: 4000, spreadPips: 0.5 }); // too_few_ticks x3
    h.tick(7000, 150, 2); // spread again
    expect(h.skipLines().map((l) => l.reason)).toEqual(["spread", "too_few_ticks", "spread"]);
    expect(h.skips).toEqual(["spread", "spread", "spread", "spread", "too_few_ticks", "too_few_ticks", "too_few_ticks", "spread"]);
    expect(h.worker.skipCounts()).toEqual({ spread: 5, too_few_ticks: 3 });
    expect(h.skipLines()[0]).toMatchObject({ event: "fast_scalp_skip", reason: "spread", instrument: "USD_JPY", spreadPips: 2, limitPips: 1, level: 20 });
  });

  it("every skip line is at debug; once a minute one info line sums the skips by reason", () => {
    const h = harness();
    h.run(9, { stepPips: 0.05 }); // too_few_ticks x7, then no_momentum
    h.run(50, { startMs: 9000, spreadPips: 2 }); // spread, one a second, up to 58 s
    expect(h.skipLines().every((l) => l.level === 20)).toBe(true);
    expect(h.lines.filter((l) => l.event === "fast_scalp_skip_summary")).toEqual([]);
    h.tick(60_000, 150, 2); // the minute is over: one summary for it
    const summaries = h.lines.filter((l) => l.event === "fast_scalp_skip_summary");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ level: 30, windowSec: 60, total: 59, skips: { spread: 50, too_few_ticks: 7, no_momentum: 2 } });
    // At info level, a minute of skipping is one line, not one per skip.
    const infoLines = h.lines.filter((l) => (l.level as number) >= 30);
    expect(infoLines.map((l) => l.event)).toEqual(["fast_scalp_skip_summary"]);
  });

  it("after a signal the next skip is a new occurrence and is logged again; the signal's line is held until written by the gate's decision", () => {
    const h = harness();
    h.run(7); // too_few_ticks logged once
    h.tick(7000, 150 + 7 * 0.3 * PIP); // signal
    h.tick(7100, 150, 3); // spread
    h.tick(7200, 150, 3); // spread again: not logged
    expect(h.skipLines().map((l) => l.reason)).toEqual(["too_few_ticks", "spread"]);
    // Not on the way to the order: held until the gate has decided (writeLaterLogs).
    expect(h.lines.filter((l) => l.event === "fast_scalp_signal")).toHaveLength(0);
    writeLaterLogs();
    expect(h.lines.filter((l) => l.event === "fast_scalp_signal")).toHaveLength(1);
  });
});
