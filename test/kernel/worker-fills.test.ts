// The entry workers hear of their own fills from execution's events (signal_settled), not from
// a closure that writes into them: a filled order counts toward the worker's trade-frequency
// budget, a refused one does not, and a gate built again (as after a restart) keeps them informed.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { InstrumentTable } from "../../src/core/instruments.ts";
import { silentLogger } from "../../src/core/log.ts";
import type { Signal } from "../../src/core/types.ts";
import type { NewDecision } from "../../src/core/journal-records.ts";
import { createKernel } from "../../src/kernel/kernel.ts";
import { DisabledMicroWorker } from "../../src/workers/micro_multistrat/disabled.ts";
import { MicroMultistratWorker } from "../../src/workers/micro_multistrat/worker.ts";
import { ReplayClock } from "../../src/replay/clock.ts";
import { MemoryJournal } from "../../src/replay/memory-journal.ts";
import { InProcessVenue } from "../../src/sim/in-process-venue.ts";
import { parseScenario, SimEngine } from "../../src/sim/index.ts";

// A Wednesday at noon UTC: the FX market is open by the clock.
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

async function node(micro = "1") {
  const { config } = parseConfig({ LOG_LEVEL: "silent", FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: micro });
  const clock = new ReplayClock(T0);
  const engine = new SimEngine(parseScenario({ account: { currency: "JPY" }, instruments: { USD_JPY: { bid: 155, ask: 155.004 } }, maintenance: false }), clock);
  const instruments = new InstrumentTable();
  const k = await createKernel({
    config, clock, venue: new InProcessVenue({ engine, instruments }), journal: new MemoryJournal(clock), log: silentLogger, instruments,
    instrumentNames: engine.instrumentNames(), venueName: "the simulator", enforceMarketHours: false, sleep: () => Promise.resolve(), refreshAfterSettle: "await",
  });
  await k.gate.start();
  let seq = 0;
  const signal = (p: Partial<Signal>): Signal => ({
    id: `k-${++seq}`, worker: "fast_scalp", strategy: "test", pocket: "scalp", instrument: "USD_JPY", side: "buy",
    confidence: 50, proposedUnits: 1_000, reduceOnly: false, attachSlTp: false, createdAt: clock.now(), ttlMs: 30_000, ...p,
  });
  return { k, clock, signal };
}

describe("workers follow execution's events", () => {
  it("micro_multistrat is the real worker when switched on, the stand-in when off; either way its fills count", async () => {
    const on = await node("1");
    expect(on.k.workers.micro).toBeInstanceOf(MicroMultistratWorker);
    const off = await node("0");
    expect(off.k.workers.micro).toBeInstanceOf(DisabledMicroWorker);
    const m = await off.k.gate.process(off.signal({ worker: "micro_multistrat", strategy: "trend_momentum", pocket: "micro" }));
    expect(m.orderStatus).toBe("filled");
    expect(off.k.workers.micro.orderCounts().hour).toBe(1);
  });

  it("a filled order counts for the worker that asked for it, and only for that one", async () => {
    const { k, signal } = await node();
    expect(k.workers.fastScalp.orderCounts().hour).toBe(0);
    const d = await k.gate.process(signal({ worker: "fast_scalp" }));
    expect(d.orderStatus).toBe("filled");
    expect(k.workers.fastScalp.orderCounts().hour).toBe(1);
    expect(k.workers.micro.orderCounts().hour).toBe(0);

    const m = await k.gate.process(signal({ worker: "micro_multistrat", strategy: "trend_momentum", pocket: "micro" }));
    expect(m.orderStatus).toBe("filled");
    expect(k.workers.micro.orderCounts().hour).toBe(1);
    expect(k.workers.fastScalp.orderCounts().hour).toBe(1);
  });

  it("a refused signal is not counted", async () => {
    const { k, signal } = await node();
    const refused = await k.gate.process(signal({ proposedUnits: Number.NaN }));
    expect(refused.outcome).not.toBe("accepted");
    expect(k.workers.fastScalp.orderCounts().hour).toBe(0);
    const d = await k.gate.process(signal({}));
    expect(d.orderStatus).toBe("filled");
    expect(k.workers.fastScalp.orderCounts().hour).toBe(1);
  });
});

describe("a signal the bus drops after taking it", () => {
  it("is recorded as a skip with the bus's reason, in the journal and for the decision's observers; one refused at once is not", async () => {
    const { config } = parseConfig({ LOG_LEVEL: "silent" });
    const clock = new ReplayClock(T0);
    const engine = new SimEngine(parseScenario({ account: { currency: "JPY" }, instruments: { USD_JPY: { bid: 155, ask: 155.004 } }, maintenance: false }), clock);
    const instruments = new InstrumentTable();
    const journal = new MemoryJournal(clock);
    // What the gate journals (the memory journal checks a decision and keeps none).
    const journaled: NewDecision[] = [];
    const insert = journal.decisions.insert;
    journal.decisions.insert = async (d) => {
      journaled.push(d);
      await insert(d);
    };
    const seen: string[] = [];
    const k = await createKernel({
      config, clock, venue: new InProcessVenue({ engine, instruments }), journal, log: silentLogger, instruments,
      instrumentNames: engine.instrumentNames(), venueName: "the simulator", enforceMarketHours: false, sleep: () => Promise.resolve(), refreshAfterSettle: "none",
      hooks: { onDecision: (d) => seen.push(`${d.signalId} ${d.outcome} ${d.reason}`) },
    });
    const s = (id: string, createdAt: number): Signal => ({
      id, worker: "operator", strategy: "operator", pocket: "macro", instrument: "USD_JPY", side: "buy",
      confidence: 50, proposedUnits: 1_000, reduceOnly: false, attachSlTp: false, createdAt, ttlMs: 5_000,
    });
    // The gate is not started: the signal waits in the queue, and goes stale there.
    expect(k.bus.publish(s("waits", T0)).accepted).toBe(true);
    expect(k.bus.publish(s("too-old", T0 - 10_000)).accepted).toBe(false);
    clock.advanceTo(T0 + 6_000);
    expect(k.bus.tryNext()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(["waits skipped signal_stale"]);
    expect(journaled.map((r) => [r.signalId, r.outcome, r.reason])).toEqual([["waits", "skipped", "signal_stale"]]);
    expect(journaled[0]!.detail).toMatchObject({ droppedBy: "signal_bus", ageMs: 6_000, ttlMs: 5_000 });
  });
});
