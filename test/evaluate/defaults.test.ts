// The entry workers ship switched off (they did not beat their costs out of sample: see
// docs/workers.md, "The scorecard"). Off means off through the whole pipeline: the replay with
// the default configuration sends no entry order, and each worker's variable turns it on.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { runReplay } from "../../src/replay/run.ts";
import { buildTicks, LEGS, source } from "./fixture.ts";

const replay = (env: Record<string, string>) =>
  runReplay({ config: parseConfig({ LOG_LEVEL: "silent", ...env }).config, source: source(buildTicks([...LEGS, ...LEGS])), instrument: "USD_JPY", ticksFile: "fixture" });

describe("entry workers switched off by default", () => {
  it("defaults: no entry worker evaluates or orders; the balancer still runs", async () => {
    const { report } = await replay({});
    expect(report.orders.byWorker.fast_scalp).toBeUndefined();
    expect(report.orders.byWorker.micro_multistrat).toBeUndefined();
    expect(report.signals.byWorker).toEqual({});
    expect(report.workers.fastScalpSkips).toEqual({});
    expect(report.workers.microSkips).toEqual({});
    expect(report.workers.balancerRuns).toBeGreaterThan(0);
  });

  it("FAST_SCALP_ENABLED=1 turns fast_scalp on (and only it)", async () => {
    const { report } = await replay({ FAST_SCALP_ENABLED: "1" });
    expect(report.orders.byWorker.fast_scalp!.filled).toBeGreaterThan(0);
    expect(report.orders.byWorker.micro_multistrat).toBeUndefined();
    expect(report.workers.microSkips).toEqual({});
  });

  it("MICRO_MULTISTRAT_ENABLED=1 turns micro_multistrat on (and only it)", async () => {
    const { report } = await replay({ MICRO_MULTISTRAT_ENABLED: "1" });
    expect(report.workers.microSkips.warming_up).toBeGreaterThan(0); // it looked at the candles
    expect(report.orders.byWorker.fast_scalp).toBeUndefined();
    expect(report.workers.fastScalpSkips).toEqual({});
  });
});
