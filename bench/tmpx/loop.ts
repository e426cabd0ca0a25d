import { parseConfig } from "../../src/config/load.ts";
import { readTicks } from "../../src/marketdata/read.ts";
import { runReplay } from "../../src/replay/run.ts";
const dir = "/work/shared/data/usdjpy/nautilus_trader/fxcm/";
const { config } = parseConfig({ LOG_LEVEL: "silent", FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "1" });
const source = readTicks({ ticksPath: dir + "usdjpy-m1-bid-2013.csv", askPath: dir + "usdjpy-m1-ask-2013.csv", instrument: "USD_JPY" });
const out: number[] = [];
for (let i = 0; i < Number(Deno.args[0] ?? 8); i++) {
  const t0 = performance.now();
  const r = await runReplay({ config, source, instrument: "USD_JPY", ticksFile: "bid", askFile: "ask", from: Date.UTC(2013, 1, 1), to: Date.UTC(2013, 2, 2) });
  out.push(performance.now() - t0);
  if (i === 0) console.log("fills", r.report.orders.fills, "ticks", r.report.ticks.replayed);
}
const s = [...out].sort((a, b) => a - b);
console.log("first", out[0]!.toFixed(0), "min", s[0]!.toFixed(0), "median", s[s.length >> 1]!.toFixed(0), "all", out.map((x) => x.toFixed(0)).join(" "));
