import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { marginStep, replicaStep, streamStep } from "../../src/alerts/index.ts";

describe("margin usage levels", () => {
  it("alerts once per level crossed upwards, highest first, and once back down below the hysteresis", () => {
    const levels = [0.5, 0.8, 0.9];
    let s = marginStep(new Set(), 0.3, levels);
    expect(s.events).toEqual([]);
    s = marginStep(s.above, 0.85, levels);
    expect(s.events.map((e) => e.kind === "margin_usage" && [e.level, e.direction])).toEqual([[0.8, "up"], [0.5, "up"]]);
    s = marginStep(s.above, 0.79, levels); // within the hysteresis of 0.8: no flapping
    expect(s.events).toEqual([]);
    s = marginStep(s.above, 0.7, levels);
    expect(s.events).toEqual([{ kind: "margin_usage", level: 0.8, usage: 0.7, direction: "down" }]);
  });

  it("for any path of usage, each level's alerts alternate up, down, up... starting with up", () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1.5, noNaN: true }), { maxLength: 60 }), (path) => {
      const levels = [0.5, 0.8, 0.9];
      let above = new Set<number>();
      const seq = new Map<number, string[]>();
      for (const u of path) {
        const r = marginStep(above, u, levels);
        above = r.above;
        for (const e of r.events) if (e.kind === "margin_usage") seq.set(e.level, [...(seq.get(e.level) ?? []), e.direction]);
      }
      for (const dirs of seq.values()) dirs.forEach((d, i) => expect(d).toBe(i % 2 === 0 ? "up" : "down"));
      // And the state says exactly which levels the last usage is at or above (outside the band).
      const last = path.at(-1);
      if (last !== undefined) for (const l of levels) if (last >= l) expect(above.has(l)).toBe(true);
    }));
  });
});

describe("streams and replica", () => {
  it("a stream down beyond its limit alerts once, and says when it is back", () => {
    let w = streamStep({ alerted: false }, "pricing", false, 0, 60);
    expect(w.events).toEqual([]);
    w = streamStep(w.watch, "pricing", false, 59_000, 60);
    expect(w.events).toEqual([]);
    w = streamStep(w.watch, "pricing", false, 60_000, 60);
    expect(w.events).toEqual([{ kind: "stream_down", stream: "pricing", downSec: 60, limitSec: 60 }]);
    w = streamStep(w.watch, "pricing", false, 90_000, 60);
    expect(w.events).toEqual([]);
    w = streamStep(w.watch, "pricing", true, 95_000, 60);
    expect(w.events).toEqual([{ kind: "stream_up", stream: "pricing", downSec: 95 }]);
    // A short drop (reconnect within the limit) says nothing at all.
    w = streamStep(w.watch, "pricing", false, 100_000, 60);
    w = streamStep(w.watch, "pricing", true, 101_000, 60);
    expect(w.events).toEqual([]);
  });

  it("replica lag alerts once above the limit and once caught up below half of it", () => {
    let r = replicaStep(false, 1001, 1000, "push failed");
    expect(r.events).toEqual([{ kind: "replica_lag", rows: 1001, limitRows: 1000, lastError: "push failed" }]);
    r = replicaStep(r.alerted, 5000, 1000);
    expect(r.events).toEqual([]);
    r = replicaStep(r.alerted, 600, 1000);
    expect(r.events).toEqual([]);
    r = replicaStep(r.alerted, 400, 1000);
    expect(r.events).toEqual([{ kind: "replica_caught_up", rows: 400 }]);
  });
});
