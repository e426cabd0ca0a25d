// Replay throughput on real data: the FXCM USD/JPY February 2013 minute bars (28,761 bars,
// ~112,000 ticks after expansion), the whole month (twice: the second run is warm) and one day
// (2013-02-25), with the entry workers on, and the month with the shipped settings.
// `npm run bench:micro` reports the time per run; ticks per second = ticks / mean time. Replay reads the
// simulator in-process (src/sim/in-process-venue.ts) and journals in memory, so a run's cost is
// the trading node's own work per tick, not an account rendered and parsed on every refresh.
import { bench, describe } from "vitest";
import { parseConfig } from "../src/config/load.ts";
import { readTicks } from "../src/marketdata/read.ts";
import { runReplay } from "../src/replay/run.ts";
import { hasSharedData, sharedPath } from "../test/helpers/shared-data.ts";

const dir = ["usdjpy", "nautilus_trader", "fxcm"];
// The entry workers on, as the goal's rows of `npm run bench` (they ship off; off, only the hedge
// balancer runs). The shipped settings for comparison.
const { config } = parseConfig({ LOG_LEVEL: "silent", FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "1" });
const { config: shipped } = parseConfig({ LOG_LEVEL: "silent" });
const source = hasSharedData
  ? readTicks({ ticksPath: sharedPath(...dir, "usdjpy-m1-bid-2013.csv"), askPath: sharedPath(...dir, "usdjpy-m1-ask-2013.csv"), instrument: "USD_JPY" })
  : undefined;
const once = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 };

describe.skipIf(!source)("replay, FXCM USD/JPY minute bars", () => {
  bench("one day (2013-02-25, ~5,600 ticks)", async () => {
    await runReplay({ config, source: source!, instrument: "USD_JPY", ticksFile: "bid", askFile: "ask", from: Date.UTC(2013, 1, 25), to: Date.UTC(2013, 1, 26) });
  }, { iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 });

  bench("the whole month (28,761 bars, ~112,500 ticks)", async () => {
    await runReplay({ config, source: source!, instrument: "USD_JPY", ticksFile: "bid", askFile: "ask" });
  }, once);

  bench("the whole month again, warm (the same process's second run)", async () => {
    await runReplay({ config, source: source!, instrument: "USD_JPY", ticksFile: "bid", askFile: "ask" });
  }, once);

  bench("the whole month, shipped settings (entry workers off)", async () => {
    await runReplay({ config: shipped, source: source!, instrument: "USD_JPY", ticksFile: "bid", askFile: "ask" });
  }, once);
});
