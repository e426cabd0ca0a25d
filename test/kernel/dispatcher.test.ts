// The worker life cycle decided in one place: enabled by the settings, paused by the operator,
// and the balancer's cadence on whichever clock drives the node.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { GateControls } from "../../src/gate/controls.ts";
import { workerEnabled } from "../../src/config/worker-enabled.ts";
import { WorkerDispatcher } from "../../src/kernel/dispatcher.ts";

function rig(env: Record<string, string>) {
  const { config } = parseConfig({ LOG_LEVEL: "silent", ...env });
  const calls: string[] = [];
  const controls = new GateControls();
  const dispatcher = new WorkerDispatcher({
    config, controls, startAt: 0,
    workers: {
      fastScalp: { onTick: (i) => calls.push(`fast:${i}`) },
      micro: { onCandleClosed: (i) => calls.push(`micro:${i}`) },
      hedge: { tick: () => calls.push("hedge") },
    },
  });
  return { config, calls, controls, dispatcher };
}

const ALL_ON = { FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "1", HEDGE_BALANCER_ENABLED: "1", HEDGE_BALANCER_INTERVAL_SEC: "7" };

describe("the worker dispatcher", () => {
  it("runs fast_scalp on ticks and micro_multistrat on candle closes only when switched on", () => {
    const off = rig({ FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0" });
    off.dispatcher.onTick("USD_JPY");
    off.dispatcher.onCandleClosed("USD_JPY");
    expect(off.calls).toEqual([]);
    const on = rig(ALL_ON);
    on.dispatcher.onTick("USD_JPY");
    on.dispatcher.onCandleClosed("EUR_USD");
    expect(on.calls).toEqual(["fast:USD_JPY", "micro:EUR_USD"]);
  });

  it("a paused worker is skipped; pausing all never silences the operator; resuming brings it back", () => {
    const { calls, controls, dispatcher } = rig(ALL_ON);
    controls.pause("fast_scalp");
    dispatcher.onTick("USD_JPY");
    dispatcher.onCandleClosed("USD_JPY");
    expect(calls).toEqual(["micro:USD_JPY"]);
    controls.pause();
    expect(dispatcher.active("operator")).toBe(true);
    expect(dispatcher.active("micro_multistrat")).toBe(false);
    controls.resume();
    dispatcher.onTick("USD_JPY");
    expect(calls).toEqual(["micro:USD_JPY", "fast:USD_JPY"]);
  });

  it("the balancer runs once per interval of the node's clock, counting paused passes without running them", () => {
    const { calls, controls, dispatcher } = rig(ALL_ON);
    for (const t of [1_000, 6_999, 7_000, 8_000, 13_999, 14_000]) dispatcher.balanceIfDue(t);
    expect(calls).toEqual(["hedge", "hedge"]);
    controls.pause("hedge_balancer");
    dispatcher.balanceIfDue(21_000);
    expect(calls).toEqual(["hedge", "hedge"]);
    expect(dispatcher.balancerRuns).toBe(3);
  });

  it("a balancer switched off has no interval and never runs", () => {
    const { calls, dispatcher, config } = rig({ HEDGE_BALANCER_ENABLED: "0" });
    expect(dispatcher.balancerIntervalMs).toBeUndefined();
    dispatcher.balanceIfDue(1e9);
    expect(calls).toEqual([]);
    expect(workerEnabled(config, "hedge_balancer")).toBe(false);
    expect(workerEnabled(config, "operator")).toBe(true);
  });
});
