// Replay throughput from outside: `sekisho replay --json` as a child process on real data, timed
// from spawn to exit (start-up and reading the file included), ticks = the report's `replayed`.
// The figure is ticks "through workers, gate and simulator", so the goal's rows switch on
// the two entry workers, which ship switched off (FAST_SCALP_ENABLED / MICRO_MULTISTRAT_ENABLED):
// with the defaults only the hedge balancer runs and no entry is ever decided, sized or filled.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, ROOT, type AgentRuntime } from "./agent-process.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");

export interface ReplayRun {
  ticks: number;
  seconds: number;
  ticksPerSec: number;
  /** Orders filled in the run (the entry workers' and the balancer's). */
  fills: number;
}

/** The entry workers switched on: what the goal's rows measure. */
export const WORKERS_ON = { FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "1" };

/** `sekisho replay <replayArgs>` on the runtime, spawn to exit: its stdout and the seconds it took. */
function timedReplay(runtime: AgentRuntime, replayArgs: string[], env: Record<string, string>): Promise<{ stdout: string; seconds: number }> {
  const [cmd, argv] = runtime === "binary" ? [BINARY, ["replay", ...replayArgs]] : [DENO, ["run", "-A", `--config=${join(ROOT, "deno.json")}`, join(ROOT, "src", "main.ts"), "replay", ...replayArgs]];
  const t0 = performance.now();
  return new Promise((done, fail) => {
    execFile(cmd, argv, { env: { NO_COLOR: "1", LOG_LEVEL: "silent", PATH: process.env.PATH ?? "", ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 900_000 }, (err, stdout, stderr) => {
      const seconds = (performance.now() - t0) / 1000;
      if (err) return fail(new Error(`replay failed: ${err.message} ${stderr.slice(0, 500)}`));
      done({ stdout, seconds });
    });
  });
}

export async function replayOnce(runtime: AgentRuntime, args: string[], env: Record<string, string> = {}): Promise<ReplayRun> {
  const { stdout, seconds } = await timedReplay(runtime, [...args, "--json"], env);
  const report = JSON.parse(stdout) as { ticks: { replayed: number }; orders: { fills: number } };
  const ticks = report.ticks.replayed;
  return { ticks, seconds, ticksPerSec: ticks / seconds, fills: report.orders.fills };
}

/**
 * The tick loop once warm, from outside: one process replaying the same input `1 + more` times
 * in a row (`replay --sweep-worker <file>`, how a sweep's child runs its share), against one run
 * alone; the difference over `more` is a run's time after the first (start-up, reading and the
 * compiler's warm-up paid). What a sweep's later runs and evaluate's walk-forward parts get.
 */
export async function warmRunSeconds(runtime: AgentRuntime, args: string[], more: number, env: Record<string, string>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "sekisho-bench-warm-"));
  const batch = async (n: number) => {
    // The runs file, as a sweep's parent writes it.
    const runs = join(dir, `runs-${n}.json`);
    writeFileSync(runs, JSON.stringify(Array.from({ length: n }, () => env)));
    return (await timedReplay(runtime, [...args, "--sweep-worker", runs], {})).seconds;
  };
  try {
    const one = await batch(1);
    const many = await batch(1 + more);
    return Math.max(0, many - one) / more;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The two data sets of the table: FXCM USD/JPY minute bars (a month) and a LEAN EUR/USD
 * tick day. `floorArgs` replay the first minute of the same files: start-up and reading the whole
 * file, with next to no tick loop, which is the figure's floor.
 */
export function replayInputs(sharedData: string): Array<{ name: string; args: string[]; floorArgs: string[] }> {
  const fxcm = join(sharedData, "usdjpy", "nautilus_trader", "fxcm");
  const month = ["--ticks", join(fxcm, "usdjpy-m1-bid-2013.csv"), "--ask-file", join(fxcm, "usdjpy-m1-ask-2013.csv")];
  const lean = ["--ticks", join(sharedData, "eurusd", "lean_oanda", "tick", "eurusd", "20140502_quote.zip"), "--instrument", "EUR_USD"];
  return [
    { name: "FXCM USD/JPY month (minute bars as ticks)", args: [...month, "--from", "2013-02-01", "--to", "2013-03-02"], floorArgs: [...month, "--from", "2013-02-01", "--to", "2013-02-01T00:01"] },
    { name: "LEAN EUR/USD tick day (2014-05-02)", args: lean, floorArgs: [...lean, "--from", "2014-05-02", "--to", "2014-05-02T00:01"] },
  ];
}
