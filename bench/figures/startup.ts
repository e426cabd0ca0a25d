// Start to healthy and resident memory, from outside: spawn `sekisho run` in paper mode, poll
// GET /health every 2 ms until it answers 200, then let it trade on paper and read its memory.
// Each run starts twice in one directory: first with no journal (migrations create it), then
// again over that journal (a restart, what an operator's supervisor does most of the time).
// The agent's own start-up trace (the `startup` log line: ms since the process began, per step)
// is read from its log.
import process from "node:process";
import { readFileSync } from "node:fs";
import { delay } from "../../src/core/async/delay.ts";
import { type AgentRuntime, cpuMs, memory, type Memory, type RunningAgent, startAgentProcess, waitHealthy } from "./agent-process.ts";

export interface StartOnce {
  /** Spawn to /health 200, ms of wall-clock time. */
  toHealthyMs: number;
  /** CPU time the process had used when /health first answered 200, ms. */
  cpuMs: number;
  /** The agent's trace of its start-up steps, if it logged one. */
  trace?: Record<string, number>;
}

export interface StartupRun {
  first: StartOnce;
  restart: StartOnce;
  /** Memory after `settleMs` of paper trading (the restart). */
  settled: Memory;
}

async function startOnce(runtime: AgentRuntime, dir?: string): Promise<{ a: RunningAgent; s: StartOnce }> {
  const a = await startAgentProcess(runtime, { SIM_SPEED: "20" }, ["--paper"], dir);
  const healthy = await waitHealthy(a);
  return { a, s: { toHealthyMs: healthy - a.spawnedAt, cpuMs: cpuMs(a.proc.pid!) } };
}

async function stop(a: RunningAgent, keepDir: boolean): Promise<Record<string, number> | undefined> {
  const r = await a.stop(10_000, keepDir);
  if (!r.graceful) process.stderr.write(`startup: the agent ignored SIGTERM for 10 s and was killed; its log: ${a.logFile}\n`);
  return keepDir || !r.graceful ? startupTrace(a.logFile) : undefined;
}

export async function startupOnce(runtime: AgentRuntime, settleMs: number): Promise<StartupRun> {
  const one = await startOnce(runtime);
  let trace = await stop(one.a, true);
  const first = { ...one.s, trace };
  const two = await startOnce(runtime, one.a.dir);
  try {
    await delay(settleMs);
    const settled = memory(two.a.proc.pid!);
    trace = startupTrace(two.a.logFile);
    return { first, restart: { ...two.s, trace }, settled };
  } finally {
    await stop(two.a, false);
  }
}

/** The `startup` log line's steps (each start writes its own log file). */
export function startupTrace(logFile: string): Record<string, number> | undefined {
  let text: string;
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return undefined;
  }
  let found: Record<string, number> | undefined;
  for (const line of text.split("\n")) {
    if (!line.includes('"event":"startup"')) continue;
    try {
      found = (JSON.parse(line) as { steps?: Record<string, number> }).steps ?? found;
    } catch {
      // not JSON (a pretty log): no trace
    }
  }
  return found;
}
