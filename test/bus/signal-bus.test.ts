import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SignalBus } from "../../src/bus/signal-bus.ts";
import type { Signal } from "../../src/core/types.ts";

function clockAt(t: number) {
  const c = { t, now: () => c.t };
  return c;
}

function sig(p: Partial<Signal> = {}): Signal {
  return {
    id: p.id ?? `s-${Math.random()}`, worker: "fast_scalp", strategy: "t", pocket: "scalp_fast", instrument: "USD_JPY",
    side: "buy", confidence: 50, proposedUnits: 1000, reduceOnly: false, attachSlTp: true, createdAt: 0, ttlMs: 5000, ...p,
  };
}

describe("signal bus", () => {
  it("drops a signal older than its TTL at publish and while waiting, counted as signal_stale", () => {
    const clock = clockAt(10_000);
    const bus = new SignalBus({ capacity: 10, clock });
    expect(bus.publish(sig({ createdAt: 1000, ttlMs: 5000 })).reason).toBe("signal_stale");
    bus.publish(sig({ id: "w", createdAt: 9000, ttlMs: 2000 }));
    clock.t = 11_001;
    expect(bus.tryNext()).toBeUndefined();
    expect(bus.counters.dropped.signal_stale).toBe(2);
  });

  it("tells onDrop whether the dropped signal had been accepted into the queue", () => {
    const clock = clockAt(10_000);
    const drops: Array<[string, string, boolean]> = [];
    const bus = new SignalBus({ capacity: 1, clock, onDrop: (s, reason, queued) => drops.push([s.id, reason, queued]) });
    bus.publish(sig({ id: "old", createdAt: 1000, ttlMs: 5000 })); // refused at once: its publisher knows
    bus.publish(sig({ id: "a", createdAt: 9000, ttlMs: 2000, confidence: 10 }));
    bus.publish(sig({ id: "b", createdAt: 9000, ttlMs: 2000, confidence: 90 })); // evicts a, accepted earlier
    bus.publish(sig({ id: "c", createdAt: 9000, ttlMs: 2000, confidence: 5 })); // the least urgent: refused at once
    clock.t = 11_001;
    expect(bus.tryNext()).toBeUndefined(); // b went stale in the queue
    bus.close();
    bus.publish(sig({ id: "late", createdAt: 11_001 }));
    expect(drops).toEqual([["old", "signal_stale", false], ["a", "overflow", true], ["c", "overflow", false], ["b", "signal_stale", true], ["late", "closed", false]]);
  });

  it("serves reduce-only first, then pocket priority, then confidence", () => {
    const bus = new SignalBus({ capacity: 10, clock: clockAt(0) });
    bus.publish(sig({ id: "scalp-90", pocket: "scalp_fast", confidence: 90 }));
    bus.publish(sig({ id: "micro-10", pocket: "micro", confidence: 10 }));
    bus.publish(sig({ id: "micro-80", pocket: "micro", confidence: 80 }));
    bus.publish(sig({ id: "hedge", pocket: "macro", reduceOnly: true, attachSlTp: false, confidence: 90 }));
    expect([bus.tryNext(), bus.tryNext(), bus.tryNext(), bus.tryNext()].map((s) => s?.id)).toEqual(["hedge", "micro-80", "micro-10", "scalp-90"]);
  });

  it("is bounded: overflow evicts the least urgent and counts it; publishing never blocks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 60 }), (cap, confs) => {
        const bus = new SignalBus({ capacity: cap, clock: clockAt(0) });
        confs.forEach((c, i) => bus.publish(sig({ id: `x${i}`, confidence: c })));
        expect(bus.size).toBe(Math.min(cap, confs.length));
        expect(bus.counters.dropped.overflow).toBe(Math.max(0, confs.length - cap));
        // What is left is the most confident.
        const kept = [...Array(bus.size)].map(() => bus.tryNext()!.confidence);
        const best = [...confs].sort((a, b) => b - a).slice(0, cap);
        expect(kept).toEqual(best);
      }),
    );
  });

  it("hands a signal straight to a waiting consumer, and next() ends once closed", async () => {
    const bus = new SignalBus({ capacity: 10, clock: clockAt(0) });
    const waiting = bus.next();
    bus.publish(sig({ id: "direct" }));
    expect((await waiting)?.id).toBe("direct");
    const end = bus.next();
    bus.close();
    expect(await end).toBeUndefined();
    expect(bus.publish(sig()).reason).toBe("closed");
  });
});
