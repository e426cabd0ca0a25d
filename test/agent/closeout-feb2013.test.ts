// The closeout guard on real data: USD/JPY's fall of 2013-02-25 (92.58 -> 90.85 in half an hour,
// FXCM minute bars from ../shared/data), played into the simulator (OANDA Japan: larger-side
// margin, the loss-cut at marginUsed/NAV = 100%) bar by bar, each bar's low then its close.
// A long of 108,000 at 80% usage is cut by the broker in the fall; the guard engages bars before
// that, and with the hedge balancer reducing as the guard asks, the loss-cut never comes.
import { afterEach, describe, expect, it } from "vitest";
import { hasSharedData, readShared, SKIP_REASON } from "../helpers/shared-data.ts";
import { type Rig, startRig } from "../helpers/trading-rig.ts";
import { HedgeBalancerWorker } from "../../src/workers/hedge_balancer/worker.ts";
import { SignalBus } from "../../src/bus/signal-bus.ts";
import { CloseoutGuard, closeoutGuardSettings } from "../../src/gate/guards/closeout-guard.ts";

const FROM = "2013-02-25 20:00";
const TO = "2013-02-25 20:45";
const UNITS = 108_000;

interface Bar { time: string; bidLow: number; askLow: number; bidClose: number; askClose: number; bidOpen: number; askOpen: number }

function bars(): Bar[] {
  const read = (side: "bid" | "ask") => new Map(readShared("usdjpy", "nautilus_trader", "fxcm", `usdjpy-m1-${side}-2013.csv`).trim().split("\n").slice(1)
    .map((l) => l.split(","))
    .filter(([t]) => t! >= FROM && t! <= TO)
    .map(([t, o, , lo, c]) => [t!, { o: Number(o), lo: Number(lo), c: Number(c) }]));
  const bid = read("bid");
  const ask = read("ask");
  // The files' bid and ask bars were built apart and sometimes cross: never let ask < bid.
  return [...bid].map(([time, b]) => {
    const a = ask.get(time)!;
    return { time, bidLow: b.lo, askLow: Math.max(a.lo, b.lo), bidClose: b.c, askClose: Math.max(a.c, b.c), bidOpen: b.o, askOpen: Math.max(a.o, b.o) };
  });
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function play(act: boolean) {
  const bs = bars();
  const first = bs[0]!;
  rig = await startRig({
    scenario: {
      account: { currency: "JPY", balance: 500_000, marginRate: 0.04, hedgingEnabled: true, marginModel: "max_side", closeoutRule: "japan" },
      instruments: { USD_JPY: { bid: first.bidOpen, ask: first.askOpen } },
      positions: [{ instrument: "USD_JPY", long: UNITS, short: 0, tag: "sekisho:macro:seed" }],
      execution: { slippagePips: 0, submitLatencyMs: 0 },
      ticks: { source: "fixed" },
    },
    env: { CLOSEOUT_RULE: "auto", MARGIN_MODEL: "auto", HEDGE_COOLDOWN_SEC: "0" },
  });
  const r = rig;
  const guard = new CloseoutGuard(closeoutGuardSettings(r.config));
  const bus = new SignalBus({ capacity: 8, clock: { now: () => Date.now() } });
  const w = new HedgeBalancerWorker({ config: r.config, clock: { now: () => Date.now() }, account: r.account, market: r.market, instruments: r.instruments, publish: (s) => bus.publish(s), closeoutGuard: guard });
  const setPrice = (bid: number, ask: number) => fetch(`${r.sim.restUrl}/sim/price`, { method: "POST", body: JSON.stringify({ instrument: "USD_JPY", bid, ask }) });
  let guardAt: number | undefined;
  let cutAt: number | undefined;
  let reductions = 0;
  let minPips = Number.POSITIVE_INFINITY;
  for (const [i, b] of bs.entries()) {
    for (const [bid, ask] of [[b.bidLow, b.askLow], [b.bidClose, b.askClose]] as const) {
      await setPrice(bid, ask);
      await r.refreshPrices();
      await r.sync.refresh();
      if (cutAt === undefined && (r.account.snapshot()!.positions.find((p) => p.instrument === "USD_JPY")?.long ?? 0) === 0) cutAt = i;
      const c = r.account.closeoutReport()?.account;
      if (c?.pips !== null && c?.pips !== undefined && cutAt === undefined) minPips = Math.min(minPips, c.pips);
      if (guard.update(c, Date.now())?.engaged && guardAt === undefined) guardAt = i;
      if (!act || cutAt !== undefined) continue;
      // The agent's reaction: the balancer's guard step, through the gate, until nothing is asked.
      for (let step = 0; step < 5; step++) {
        const plan = w.tick();
        const s = bus.tryNext();
        if (!plan || plan.action === "none" || !s) break;
        const d = await r.gate.process(s);
        expect(d.outcome).toBe("accepted");
        reductions++;
        await r.sync.refresh();
      }
    }
  }
  const tx = await r.client.transactionsSinceId("1");
  const closeouts = tx.transactions.filter((t) => (t as { reason?: string }).reason === "MARKET_ORDER_MARGIN_CLOSEOUT" || t.type === "MARGIN_CALL_ENTER" || (t as { reason?: string }).reason === "MARGIN_CLOSEOUT");
  return { bars: bs, guardAt, cutAt, reductions, closeouts: closeouts.length, minPips, rule: r.account.closeoutRule().inForce };
}

describe.skipIf(!hasSharedData)("the closeout guard on USD/JPY's fall of 2013-02-25", () => {
  it("engages bars before the simulator's loss-cut when nothing is done", async () => {
    const run = await play(false);
    expect(run.rule).toBe("japan");
    expect(run.cutAt, "the broker's loss-cut happened in the fall").toBeDefined();
    expect(run.closeouts, "and the broker recorded it as a margin closeout").toBeGreaterThan(0);
    console.info(`2013-02-25: guard engaged at ${run.bars[run.guardAt!]!.time}, the broker's loss-cut at ${run.bars[run.cutAt!]!.time}`);
    expect(run.guardAt, "the guard engaged").toBeDefined();
    expect(run.guardAt!).toBeLessThan(run.cutAt!);
    // Time to act: at least a few minutes between the guard and the loss-cut.
    expect(run.cutAt! - run.guardAt!).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("with the balancer reducing as the guard asks, the loss-cut never comes", async () => {
    const run = await play(true);
    expect(run.reductions).toBeGreaterThan(0);
    expect(run.cutAt).toBeUndefined();
    expect(run.closeouts).toBe(0);
    expect(run.minPips).toBeGreaterThan(0);
    console.info(`2013-02-25 with the guard: ${run.reductions} reductions, nearest loss-cut ${run.minPips.toFixed(1)} pips`);
  }, 60_000);
});

if (!hasSharedData) console.warn(`closeout-feb2013: ${SKIP_REASON}`);
