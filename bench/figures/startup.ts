// Start to healthy and resident memory, from outside: spawn `sekisho run` in paper mode, poll
// GET /health every 2 ms until it answers 200, then let it trade on paper and read VmRSS.
import process from "node:process";
import { type AgentRuntime, rssMb, startAgentProcess, waitHealthy } from "./agent-process.ts";

export interface StartupRun {
  toHealthyMs: number;
  /** RSS after `settleMs` of paper trading, MB. */
  rssMb: number;
}

export async function startupOnce(runtime: AgentRuntime, settleMs: number): Promise<StartupRun> {
  const a = await startAgentProcess(runtime, { SIM_SPEED: "20" }, ["--paper"]);
  try {
    const healthy = await waitHealthy(a);
    await new Promise((r) => setTimeout(r, settleMs));
    return { toHealthyMs: healthy - a.spawnedAt, rssMb: rssMb(a.proc.pid!) };
  } finally {
    const stop = await a.stop();
    if (!stop.graceful) process.stderr.write(`startup: the agent ignored SIGTERM for 10 s and was killed; its log: ${a.logFile}\n`);
  }
}
