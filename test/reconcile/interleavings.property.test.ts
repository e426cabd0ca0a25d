// Issue 10's property: over random interleavings of signals, broker faults (latency past the
// order timeout, ghost fills, 5xx, a stalled transaction stream), restarts, the fate horizon
// passing and late fills, against a separate simulator as the broker:
// - no fill is unattributed: every fill of a sekisho client id settles that journal row;
// - no order is sent twice (counted at the BROKER: market orders per client id);
// - broker margin never goes above the budget through sekisho's own entries;
// - no reduce-only order increases |net| at the broker.
// Few runs of few steps, so it stays well under a minute.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Signal } from "../../src/core/types.ts";
import { marginBudget } from "../../src/margin/model.ts";
import { type LedgerRig, startLedgerRig } from "../helpers/ledger-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { waitFor } from "../../src/core/async/wait-for.ts";
import { delay as sleep } from "../helpers/wait.ts";

const FAULTS = ["none", "latency", "ghost", "5xx", "stall"] as const;
type Fault = (typeof FAULTS)[number];
type Step =
  | { kind: "order"; side: "buy" | "sell"; units: number; reduceOnly: boolean; fault: Fault }
  | { kind: "restart" }
  | { kind: "horizon" }
  /** Kept dark: the order executes, its answer is lost, the stream stalls and lookups fail; then a reduction. */
  | { kind: "dark"; units: number; reduceUnits: number }
  | { kind: "heal" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("order" as const), side: fc.constantFrom("buy" as const, "sell" as const), units: fc.integer({ min: 5, max: 70 }).map((k) => k * 1000), reduceOnly: fc.boolean(), fault: fc.constantFrom(...FAULTS) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "restart" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "horizon" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("dark" as const), units: fc.integer({ min: 5, max: 60 }).map((k) => k * 1000), reduceUnits: fc.integer({ min: 5, max: 40 }).map((k) => k * 1000) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "heal" as const }) },
);

/**
 * One interleaving against its own rig (simulator, journal, clock), closed however the run ends;
 * answers how many late fills the run alerted (the fixed counterexamples check they happened).
 * The tests below stay one after another: a late fill needs the horizon step to land inside a
 * 900 ms hold, which runs beside each other on two cores made miss (seen once in a full suite).
 */
async function run(steps: Step[]): Promise<number> {
  // ORDER_TIMEOUT_MS 500 and a 900 ms hold: "latency" fills after the gate gave up on the answer.
  // A horizon of 1 s makes "horizon" steps declare held orders never executed before they fill:
  // the late fills the ledger must still attribute.
  const r = await startLedgerRig({ scenario: jpyScenario({ positions: [{ long: 20_000, short: 0 }] }), env: { ORDER_TIMEOUT_MS: "500", ORDER_FATE_HORIZON_SEC: "1" } });
  try {
    return await checkRun(r, steps);
  } finally {
    await r.close();
  }
}

async function checkRun(r: LedgerRig, steps: Step[]): Promise<number> {
  const startTx = Number(r.sim.engine.lastTransactionID);
  const startNet = r.sim.engine.openTrades().reduce((n, t) => n + t.currentUnits, 0);
  const budget = marginBudget(r.sim.engine.numbers().nav, 0.92, 0.9);
  const marginAtFills: number[] = [];
  r.sim.engine.onTransaction((t) => {
    if (t.type === "ORDER_FILL") queueMicrotask(() => marginAtFills.push(r.sim.engine.numbers().marginUsed));
  });
  let n = 0;
  const newSignal = (p: Pick<Signal, "side" | "proposedUnits" | "reduceOnly">): Signal => ({
    id: `p-${Date.now()}-${++n}`, worker: "operator", strategy: "prop", pocket: "macro", instrument: "USD_JPY", confidence: 50,
    attachSlTp: false, createdAt: r.clock.now(), ttlMs: 60_000, ...p,
  });
  const outOf = async (sig: Signal) => {
    // Up to a second for the order to leave `intent` (a dark broker may hold it: then go on).
    await waitFor(async () => (await r.journal.orders.findBySignalId(sig.id)).some((o) => o.status !== "intent"), { timeoutMs: 1_000, intervalMs: 10 });
    await sleep(100);
  };
  let stalled = false;
  for (const s of steps) {
    if (s.kind === "heal") {
      stalled = false;
      r.sim.setFaults({ stallStream: false });
      continue;
    }
    if (s.kind === "dark") {
      // An entry against the position the gate sees, executed with its answer lost while the
      // stream is stalled and every lookup and refresh fails; then a reduction on the old picture.
      const view = r.p.account.position("USD_JPY");
      const entry = newSignal({ side: view.long - view.short >= 0 ? "sell" : "buy", proposedUnits: s.units, reduceOnly: false });
      stalled = true;
      r.sim.setFaults({ ghostFill: 1, stallStream: true });
      await r.refreshPrices().catch(() => {});
      const done = r.p.gate.process(entry);
      await outOf(entry);
      r.sim.setFaults({ errorRate: 1, errorStatus: 503 });
      await done;
      r.sim.setFaults({ errorRate: 0, ghostFill: 0 });
      await r.refreshPrices().catch(() => {});
      await r.p.gate.process(newSignal({ side: entry.side, proposedUnits: s.reduceUnits, reduceOnly: true }));
      continue;
    }
    if (s.kind === "restart") {
      await r.restart();
      continue;
    }
    if (s.kind === "horizon") {
      r.advance(2_000);
      await r.refreshPrices().catch(() => {});
      await r.p.sync.refresh();
      await r.p.gate.reconcile();
      continue;
    }
    const sig = newSignal({ side: s.side, proposedUnits: s.units, reduceOnly: s.reduceOnly });
    await r.refreshPrices().catch(() => {});
    if (s.fault === "latency") r.sim.setFaults({ latencyMs: 900 });
    if (s.fault === "ghost") r.sim.setFaults({ ghostFill: 1 });
    if (s.fault === "5xx") r.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    if (s.fault === "stall") r.sim.setFaults({ stallStream: true });
    const done = r.p.gate.process(sig);
    if (s.fault === "latency") {
      // Hold only the order itself: once it is out (or refused), later requests pass.
      await outOf(sig);
      r.sim.setFaults({ latencyMs: 0 });
    }
    await done;
    r.sim.setFaults({ latencyMs: 0, ghostFill: 0, errorRate: 0, stallStream: stalled });
  }
  // Let held requests land, then bring the ledger and the journal up to the broker.
  await sleep(600);
  r.sim.setFaults({ latencyMs: 0, ghostFill: 0, errorRate: 0, stallStream: false });
  await r.settleLedger();
  await r.p.sync.refresh();

  const txs = r.sim.engine.transactions().filter((t) => Number(t.id) > startTx) as unknown as Array<Record<string, unknown>>;
  // No order sent twice, counted at the broker.
  const sent = new Map<string, number>();
  for (const t of txs) {
    const id = (t.clientExtensions as { id?: string } | undefined)?.id;
    if (t.type === "MARKET_ORDER" && id) sent.set(id, (sent.get(id) ?? 0) + 1);
  }
  for (const [id, count] of sent) expect(count, `orders sent for ${id}`).toBe(1);
  // No fill unattributed: each fill of a sekisho client id settled its own row.
  for (const f of txs.filter((t) => t.type === "ORDER_FILL" && String(t.clientOrderID ?? "").startsWith("sk-"))) {
    const row = await r.journal.orders.findByClientId(String(f.clientOrderID));
    expect(row, `journal row for fill ${String(f.id)}`).toMatchObject({ status: "filled", oandaTransactionId: String(f.id) });
  }
  expect(r.alerts.filter((a) => a.kind === "unattributed")).toEqual([]);
  // Margin within the budget at every fill (all fills here are sekisho's).
  for (const m of marginAtFills) expect(m).toBeLessThanOrEqual(budget + 1);
  // No reduce-only order increased |net| while sekisho still counted it. One the broker executed
  // after sekisho had declared it never executed (past ORDER_FATE_HORIZON_SEC, which the
  // horizon steps force here) is outside what any agent can prevent: the entries sized after
  // that declaration no longer hold it back. That one must reach the operator as a late fill.
  const lateClientIds = new Set(r.alerts.filter((a) => a.kind === "late_fill").map((a) => a.clientId));
  const positionFill = new Map(txs.filter((t) => t.type === "MARKET_ORDER").map((t) => [String(t.id), String(t.positionFill)]));
  let net = startNet;
  for (const f of txs.filter((t) => t.type === "ORDER_FILL")) {
    const after = net + Number(f.units);
    if (positionFill.get(String(f.orderID)) === "REDUCE_ONLY" && Math.abs(after) > Math.abs(net)) {
      expect(lateClientIds.has(String(f.clientOrderID)), `reduce-only fill ${String(f.id)} took net from ${net} to ${after} and was not a late fill alerted to the operator`).toBe(true);
    }
    net = after;
  }
  return lateClientIds.size;
}

describe("random interleavings of signals, faults, restarts and late fills", () => {
  it("an entry never turns a held reduce-only order into one that grows |net| (a counterexample fast-check found)", async () => {
    // Long 20,000: a reduce-only sell of 11,000 is held past the timeout; a 35,000 sell entry
    // would take the net to -15,000 before the held order fills and takes it to -26,000.
    await run([
      { kind: "order", side: "sell", units: 11_000, reduceOnly: true, fault: "latency" },
      { kind: "order", side: "sell", units: 35_000, reduceOnly: false, fault: "ghost" },
      { kind: "order", side: "buy", units: 9_000, reduceOnly: true, fault: "stall" },
      { kind: "restart" },
      { kind: "dark", units: 56_000, reduceUnits: 6_000 },
    ]);
  }, 60_000);

  it("a reduce-only order the broker fills after the fate horizon gave it up is alerted as a late fill (a counterexample fast-check found)", async () => {
    // Long 20,000 -> 10,000 -> -33,000; a reduce-only buy of 33,000 is held past the timeout and
    // the horizon, so it is declared never executed; a 28,000 buy entry (OPEN_ONLY: a new long
    // trade beside the short) takes the net to -5,000; then the held order closes the short
    // trade and the net is +28,000. Gross exposure fell; the operator must hear of it.
    const lateFills = await run([
      { kind: "order", side: "sell", units: 10_000, reduceOnly: true, fault: "none" },
      { kind: "order", side: "sell", units: 43_000, reduceOnly: false, fault: "none" },
      { kind: "order", side: "buy", units: 69_000, reduceOnly: true, fault: "latency" },
      { kind: "horizon" },
      { kind: "order", side: "buy", units: 28_000, reduceOnly: false, fault: "ghost" },
    ]);
    expect(lateFills).toBe(1);
  }, 60_000);

  it("never lose a fill, never send twice, never exceed the budget, never grow |net| with reduce-only", async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 5 }), async (steps) => { await run(steps); }), { numRuns: 4, endOnFailure: true });
  }, 120_000);
});
