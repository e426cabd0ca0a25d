// Replay throughput from outside: `sekisho replay --json` as a child process on real data, timed
// from spawn to exit (start-up and reading the file included), ticks = the report's `replayed`.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { BINARY, ROOT, type AgentRuntime } from "./agent-process.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");

export interface ReplayRun {
  ticks: number;
  seconds: number;
  ticksPerSec: number;
}

export function replayOnce(runtime: AgentRuntime, args: string[]): Promise<ReplayRun> {
  const [cmd, argv] = runtime === "binary" ? [BINARY, ["replay", ...args, "--json"]] : [DENO, ["run", "-A", `--config=${join(ROOT, "deno.json")}`, join(ROOT, "src", "main.ts"), "replay", ...args, "--json"]];
  const t0 = performance.now();
  return new Promise((done, fail) => {
    execFile(cmd, argv, { env: { NO_COLOR: "1", LOG_LEVEL: "silent", PATH: process.env.PATH ?? "" }, maxBuffer: 64 * 1024 * 1024, timeout: 900_000 }, (err, stdout, stderr) => {
      const seconds = (performance.now() - t0) / 1000;
      if (err) return fail(new Error(`replay failed: ${err.message} ${stderr.slice(0, 500)}`));
      const ticks = (JSON.parse(stdout) as { ticks: { replayed: number } }).ticks.replayed;
      done({ ticks, seconds, ticksPerSec: ticks / seconds });
    });
  });
}

/** The two data sets of the table: FXCM USD/JPY minute bars (a month) and a LEAN EUR/USD tick day. */
export function replayInputs(sharedData: string): Array<{ name: string; args: string[] }> {
  const fxcm = join(sharedData, "usdjpy", "nautilus_trader", "fxcm");
  return [
    { name: "FXCM USD/JPY month (minute bars as ticks)", args: ["--ticks", join(fxcm, "usdjpy-m1-bid-2013.csv"), "--ask-file", join(fxcm, "usdjpy-m1-ask-2013.csv"), "--from", "2013-02-01", "--to", "2013-03-02"] },
    { name: "LEAN EUR/USD tick day (2014-05-02)", args: ["--ticks", join(sharedData, "eurusd", "lean_oanda", "tick", "eurusd", "20140502_quote.zip"), "--instrument", "EUR_USD"] },
  ];
}
