// The spread gate on real, wide-spread data: TrueFX USD/JPY ticks from 2013-01-01 22:00 UTC
// (the thin hour after the New York close; spreads 0 to 7.3 pips, median 2.0).
import { describe, expect, it } from "vitest";
import type { FastScalpDecision } from "../../../src/workers/fast_scalp/worker.ts";
import { hasSharedData, readShared, SKIP_REASON } from "../../helpers/shared-data.ts";
import { harness } from "./helpers.ts";

interface Row { time: number; bid: number; ask: number }

function readTicks(): Row[] {
  const lines = readShared("usdjpy", "nautilus_trader", "truefx", "usdjpy-ticks.csv").trim().split("\n");
  expect(lines[0]).toBe("timestamp,bid,ask");
  return lines.slice(1).map((l) => {
    const [ts, bid, ask] = l.split(",");
    // "2013-01-01 22:00:00.295000+00:00" (fraction absent on whole seconds): cut to milliseconds
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00:00$/.exec(ts!);
    if (!m) throw new Error(`unexpected timestamp ${ts}`);
    return { time: Date.parse(`${m[1]}T${m[2]}.${(m[3] ?? "0").padEnd(3, "0").slice(0, 3)}Z`), bid: Number(bid), ask: Number(ask) };
  });
}

function replay(env: Record<string, string>) {
  const h = harness(env);
  const ticks = readTicks();
  const decisions: { d: FastScalpDecision; spreadPips: number }[] = [];
  for (const t of ticks) {
    h.clock.t = t.time; // the data's clock
    h.market.onTick({ instrument: "USD_JPY", bid: t.bid, ask: t.ask, time: t.time, receivedAt: t.time, tradeable: true });
    const d = h.worker.onTick("USD_JPY");
    decisions.push({ d, spreadPips: h.market.spreadPips("USD_JPY")! });
    if (d.action === "signal") h.worker.notifyOrder("USD_JPY"); // as if the gate placed each one
  }
  return { h, ticks, decisions };
}

describe.skipIf(!hasSharedData)(`fast_scalp spread gate on TrueFX USD/JPY ticks (${hasSharedData ? "shared data" : SKIP_REASON})`, () => {
  it("with the default 1.0-pip limit most evaluations are refused for spread, and no signal comes from a wider tick", () => {
    const { h, ticks, decisions } = replay({});
    expect(ticks).toHaveLength(1000);
    const spread = decisions.filter((x) => x.d.action === "skip" && x.d.reason === "spread");
    expect(spread.length / decisions.length).toBeGreaterThan(0.5);
    // every refusal for spread really was wider than the limit, and every tick wider was refused for it
    expect(spread.every((x) => x.spreadPips > 1.0)).toBe(true);
    expect(decisions.filter((x) => x.spreadPips > 1.0 + 1e-9).every((x) => x.d.action === "skip" && x.d.reason === "spread")).toBe(true);
    for (const x of decisions.filter((y) => y.d.action === "signal")) expect(x.spreadPips).toBeLessThanOrEqual(1.0 + 1e-9);
    expect(h.worker.skipCounts().spread).toBe(spread.length);
    // the feed opens with a 2.5-minute pause after its first tick: signal_stale is seen too
    expect(h.worker.skipCounts().signal_stale).toBeGreaterThan(0);
  });

  it("raising FAST_SCALP_MAX_SPREAD_PIPS to the data's median lets signals through, none from a tick above the limit", () => {
    const { h, decisions } = replay({ FAST_SCALP_MAX_SPREAD_PIPS: "2.0" });
    const signals = decisions.filter((x) => x.d.action === "signal");
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((x) => x.spreadPips <= 2.0 + 1e-9)).toBe(true);
    expect(h.published).toHaveLength(signals.length);
  });
});
