// Starts sekisho as a user does (a child process: `deno run src/main.ts` or the compiled binary)
// and watches it from outside: when /health first answers 200, and its resident memory.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BINARY = join(ROOT, "dist", "sekisho");
const DENO = join(ROOT, "node_modules", ".bin", "deno");

export type AgentRuntime = "deno" | "binary";

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
  stop(): Promise<void>;
}

/** `sekisho run` with only the given environment (plus a fresh DB_PATH and HTTP_PORT). */
export async function startAgentProcess(runtime: AgentRuntime, env: Record<string, string>, args: string[] = []): Promise<RunningAgent> {
  const dir = mkdtempSync(join(tmpdir(), "sekisho-bench-"));
  const port = await freePort();
  const fullEnv = { NO_COLOR: "1", HOME: dir, DB_PATH: join(dir, "orders.db"), HTTP_PORT: String(port), LOG_LEVEL: "info", ...env };
  const [cmd, argv] = runtime === "binary" ? [BINARY, ["run", ...args]] : [DENO, ["run", "-A", `--config=${join(ROOT, "deno.json")}`, join(ROOT, "src", "main.ts"), "run", ...args]];
  const spawnedAt = performance.now();
  const proc = spawn(cmd, argv, { cwd: dir, env: fullEnv, stdio: ["ignore", "ignore", "ignore"] });
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return {
    proc, port, spawnedAt, dir,
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
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
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`/health did not answer 200 within ${timeoutMs} ms`);
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}
