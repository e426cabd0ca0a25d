// Starts sekisho as a user does (a child process: `deno run src/main.ts` or the compiled binary)
// and watches it from outside: when /health first answers 200, and its resident memory.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { delay } from "../../src/core/async/delay.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BINARY = join(ROOT, "dist", "sekisho");
export const DENO = join(ROOT, "node_modules", ".bin", "deno");

export type AgentRuntime = "deno" | "binary";

/** Where `deno run` finds the agent's source: this checkout, or another one to compare with (--agent-root). */
let agentRoot = ROOT;
export function setAgentRoot(dir: string): void {
  agentRoot = resolve(dir);
}

export function hasBinary(): boolean {
  return existsSync(BINARY);
}

/** A free loopback port (bound and released; fine on a machine where nothing races for it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

export interface RunningAgent {
  proc: ChildProcess;
  port: number;
  /** performance.now() just before spawn. */
  spawnedAt: number;
  dir: string;
  /** The agent's stdout and stderr (kept only when a stop needed SIGKILL). */
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number, keepDir?: boolean): Promise<StopResult>;
}

export interface StopResult {
  /** SIGTERM to exit, ms. */
  ms: number;
  /** False when the agent ignored SIGTERM and had to be killed: a defect to report, not to hide. */
  graceful: boolean;
}

/**
 * `sekisho run` with only the given environment (plus DB_PATH and HTTP_PORT), in a fresh
 * directory, or in `reuseDir` (a restart: the journal from the last run is there).
 */
export async function startAgentProcess(runtime: AgentRuntime, env: Record<string, string>, args: string[] = [], reuseDir?: string): Promise<RunningAgent> {
  const dir = reuseDir ?? mkdtempSync(join(tmpdir(), "sekisho-bench-"));
  const port = await freePort();
  const fullEnv = { NO_COLOR: "1", HOME: dir, DB_PATH: join(dir, "orders.db"), HTTP_PORT: String(port), LOG_LEVEL: "info", ...env };
  // BENCH_AGENT_FLAGS: Deno flags for the agent, opt-in, to look inside a run, e.g.
  // "--cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval=100" (then bench/loop-stalls.ts) or
  // "--v8-flags=--trace-gc" (GC pauses, in the agent's log). Not for figures: they cost time.
  const extra = (process.env.BENCH_AGENT_FLAGS ?? "").split(" ").filter(Boolean);
  const [cmd, argv] = runtime === "binary" ? [BINARY, ["run", ...args]] : [DENO, ["run", ...extra, "-A", `--config=${join(agentRoot, "deno.json")}`, join(agentRoot, "src", "main.ts"), "run", ...args]];
  return spawnWatched(cmd, argv, fullEnv, dir, port);
}

/** The floor program (floor-agent.ts) in the agent's place: no HTTP server of its own (port 0). */
export function startFloorProcess(url: string, token: string, accountId: string, slippage: number): RunningAgent {
  const dir = mkdtempSync(join(tmpdir(), "sekisho-bench-floor-"));
  const argv = ["run", "-A", `--config=${join(ROOT, "deno.json")}`, join(ROOT, "bench", "figures", "floor-agent.ts"), url, token, accountId, String(slippage), dir];
  return spawnWatched(DENO, argv, { NO_COLOR: "1", HOME: dir, PATH: process.env.PATH ?? "" }, dir, 0);
}

function spawnWatched(cmd: string, argv: string[], fullEnv: Record<string, string>, dir: string, port: number): RunningAgent {
  const logFile = join(dir, "agent.log");
  const out = openSync(logFile, "w");
  const spawnedAt = performance.now();
  const proc = spawn(cmd, argv, { cwd: dir, env: fullEnv, stdio: ["ignore", out, out] });
  closeSync(out);
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return {
    proc, port, spawnedAt, dir, logFile,
    async stop(graceMs = 10_000, keepDir = false) {
      const t0 = performance.now();
      let graceful = true;
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      // process.kill, not proc.kill: Deno's ChildProcess.kill does nothing once it has sent a
      // signal, so a second proc.kill("SIGKILL") left a hung agent (and the bench) waiting.
      const t = setTimeout(() => {
        graceful = false;
        try {
          process.kill(proc.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, graceMs);
      await exited;
      clearTimeout(t);
      if (graceful && !keepDir) rmSync(dir, { recursive: true, force: true });
      return { ms: performance.now() - t0, graceful };
    },
  };
}

/** performance.now() when GET /health first answered 200 (polled every 2 ms). */
export async function waitHealthy(a: RunningAgent, timeoutMs = 60_000): Promise<number> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (a.proc.exitCode !== null) throw new Error(`agent exited with ${a.proc.exitCode} before /health answered`);
    try {
      const r = await fetch(`http://127.0.0.1:${a.port}/health`);
      await r.body?.cancel();
      if (r.status === 200) return performance.now();
    } catch {
      // not listening yet
    }
    await delay(2);
  }
  throw new Error(`/health did not answer 200 within ${timeoutMs} ms`);
}

export interface Memory {
  /** Resident set size, MB. */
  rssMb: number;
  /** Of which anonymous memory (heaps, JIT code, allocations), MB. */
  anonMb: number;
  /** Of which file-backed pages (the executable's and libraries' code as mapped), MB. */
  fileMb: number;
}

/** Resident memory of a process and its split (Linux /proc/<pid>/status). */
export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => {
    const m = new RegExp(`${k}:\\s+(\\d+) kB`).exec(status);
    if (!m) throw new Error(`no ${k} for ${pid}`);
    return Number(m[1]) / 1024;
  };
  return { rssMb: kb("VmRSS"), anonMb: kb("RssAnon"), fileMb: kb("RssFile") + kb("RssShmem") };
}

/**
 * CPU time (user + system) the process has used so far, ms. On a machine shared with other work
 * the wall-clock time to healthy stretches with the load; this does far less.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;
