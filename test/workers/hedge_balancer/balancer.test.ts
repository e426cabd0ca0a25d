// The hedge balancer through the bus and the real gate, against the simulator.
import { afterEach, describe, expect, it } from "vitest";
import { jpyScenario, type Rig, startRig } from "../../helpers/trading-rig.ts";
import { HedgeBalancerWorker } from "../../../src/workers/hedge_balancer/worker.ts";
import { SignalBus } from "../../../src/bus/signal-bus.ts";
import type { Signal } from "../../../src/core/types.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function clock(start = Date.now()) {
  const c = { t: start, now: () => c.t };
  return c;
}

async function balancer(r: Rig, c = clock()) {
  const bus = new SignalBus({ capacity: 16, clock: c });
  const published: Signal[] = [];
  const lines: string[] = [];
  const log = { info: (_o: unknown, msg?: string) => msg && lines.push(msg) } as never;
  const w = new HedgeBalancerWorker({ config: r.config, clock: c, account: r.account, market: r.market, instruments: r.instruments, log, publish: (s) => { published.push(s); bus.publish(s); } });
  return { w, bus, published, lines, c };
}

describe("hedge balancer on the simulator", () => {
  it("usage above the trigger: one REDUCE_ONLY order against net with the planned units, nothing attached, none again within the cooldown", async () => {
    // 75k long at 155: margin 465,000 on NAV ~500,000 -> usage ~0.93 >= 0.88.
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 75_000, short: 0 }] }) });
    const b = await balancer(rig);
    const plan = b.w.tick();
    expect(plan?.action).toBe("hedge");
    expect(b.published).toHaveLength(1);
    const s = b.published[0]!;
    expect(s).toMatchObject({ side: "sell", reduceOnly: true, reduceCap: 75_000, pocket: "macro", confidence: 90, attachSlTp: false, slPips: 5, tpPips: 5 });
    expect(b.lines.some((l) => /^\[HEDGE\] enqueue dir=short units=\d+ usage=0\.9\d* net=75000/.test(l))).toBe(true);
    // targetNet = (used+avail) x 0.82 / (155 x 0.04); desired = 75000 - targetNet, at least 10k.
    const snap = rig.account.snapshot()!;
    const targetNet = ((snap.marginUsed + snap.marginAvailable) * 0.82) / (155 * 0.04);
    expect(s.proposedUnits).toBe(Math.trunc(Math.min(Math.max(10_000, Math.min(75_000 - targetNet, 0.55 * 75_000, 90_000)), 75_000)));

    const d = await rig.gate.process(b.bus.tryNext()!);
    expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled", units: s.proposedUnits });
    const row = await rig.journal.orders.findByClientId(d.clientId!);
    expect(row?.positionFill).toBe("REDUCE_ONLY");
    expect(JSON.parse(row!.requestJson!).stopLossPrice).toBeUndefined();
    const pos = (await rig.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.long).toBe(75_000 - s.proposedUnits!);

    // Within the 20 s cooldown nothing more, even if usage were still high.
    b.c.t += 19_000;
    await rig.refreshPrices();
    expect(b.w.tick()).toBeUndefined();
    expect(b.published).toHaveLength(1);
  });

  it("below the trigger: nothing", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 40_000, short: 0 }] }) });
    const b = await balancer(rig);
    expect(b.w.tick()).toMatchObject({ action: "none", reason: "below_trigger" });
    expect(b.published).toHaveLength(0);
  });

  it("|net| under HEDGE_MIN_NET_UNITS under net margin: nothing, even with usage above the trigger (the memo)", async () => {
    // 80k long and 70k short on a netting-margin account: net 10k, usage from other positions is what matters.
    rig = await startRig({ scenario: jpyScenario({ marginModel: "net", positions: [{ long: 80_000, short: 70_000 }] }), env: { MARGIN_MODEL: "net", HEDGE_TRIGGER_MARGIN_USAGE: "0.01" } });
    const b = await balancer(rig);
    expect(b.w.tick()).toMatchObject({ action: "none", reason: "net_below_min" });
    expect(b.published).toHaveLength(0);
  });

  it("a hedge lock under larger-side margin (L=80k/S=70k at 150, 96% usage) is unwound to the target in steps that never raise |net| or margin", async () => {
    rig = await startRig({
      scenario: jpyScenario({ marginModel: "max_side", bid: 149.998, ask: 150.002, positions: [{ long: 80_000, short: 70_000, price: 150 }] }),
      env: { MARGIN_MODEL: "auto", HEDGE_UNWIND_MAX_UNITS: "5000", HEDGE_MIN_HEDGE_UNITS: "1000", HEDGE_COOLDOWN_SEC: "0" },
    });
    const c = clock();
    const b = await balancer(rig, c);
    const read = async () => {
      const s = await rig!.client.accountDetails();
      const p = ((await rig!.client.accountDetails()).positions).find((x) => x.instrument === "USD_JPY")!;
      return { used: s.marginUsed, usage: s.marginUsed / (s.marginUsed + s.marginAvailable), net: Math.abs(p.long - p.short), long: p.long, short: p.short };
    };
    let before = await read();
    expect(before.usage).toBeGreaterThan(0.95);
    expect(rig.account.marginModel().inForce).toBe("max_side");
    let steps = 0;
    while (before.usage > 0.82 && steps < 10) {
      c.t = Date.now();
      const plan = b.w.tick();
      expect(plan, JSON.stringify(plan)).toMatchObject({ action: "unwind" });
      const sig = b.bus.tryNext()!;
      const u = (sig.meta?.pairClose as { long: number }).long;
      expect(sig.meta?.pairClose).toEqual({ long: u, short: u, equal: true });
      expect(u).toBeLessThanOrEqual(5000);
      const d = await rig.gate.process(sig);
      expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
      await rig.sync.refresh();
      const after = await read();
      expect(after.net).toBeLessThanOrEqual(before.net);
      expect(after.used).toBeLessThan(before.used);
      expect(after.long).toBe(before.long - u);
      expect(after.short).toBe(before.short - u);
      before = after;
      steps++;
    }
    expect(steps).toBeGreaterThan(1);
    expect(before.usage).toBeLessThanOrEqual(0.82);
    expect(before.net).toBe(10_000);
    // Each step was one broker request closing both sides (two journal rows, one per side).
    const rows = (await rig.journal.orders.list({ limit: 100 })).rows;
    expect(rows.filter((r) => r.clientId.endsWith("-L")).length).toBe(steps);
    expect(rows.filter((r) => r.clientId.endsWith("-S")).length).toBe(steps);
    expect(b.lines.some((l) => /^\[HEDGE\] unwind long=5000 short=5000 usage=0\.9\d* net=10000/.test(l))).toBe(true);
  });

  it("no ticks in the last 5 s of wall-clock time: skips", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 75_000, short: 0 }] }) });
    const b = await balancer(rig, clock(Date.now() + 6_000));
    expect(b.w.tick()).toMatchObject({ action: "none", reason: "no_price" });
  });
});
