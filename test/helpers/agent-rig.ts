// The whole agent in-process behind its real HTTP API on loopback: a journal in a temp
// directory, the agent (paper mode on its own simulator, or practice against one a test started),
// and the API server. The entry workers and the balancer are off unless a test switches them on:
// these tests are about the operator's path through the gate.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Agent, startAgent } from "../../src/agent/agent.ts";
import { createApiDeps } from "../../src/agent/api.ts";
import { parseConfig } from "../../src/config/load.ts";
import { type Logger, silentLogger } from "../../src/core/log.ts";
import type { RunMode } from "../../src/core/types.ts";
import { createApp } from "../../src/http/app.ts";
import { type RunningServer, serveHttp } from "../../src/runtime/runtime.ts";
import { parseScenario } from "../../src/sim/index.ts";

export const CONTROL_TOKEN = "test-control-token-0123456789";
export const WORKERS_OFF = { FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0" } as const;
/** A paper simulator with USD_JPY fixed at 154.998/155.002 (no tick source moving it). */
export const FIXED_USD_JPY = { ticks: { source: "fixed" }, instruments: { USD_JPY: { bid: 154.998, ask: 155.002 } } } as const;

export interface AgentRig {
  agent: Agent;
  dir: string;
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  base: string;
  /** POST with the control token and a JSON body. */
  post(path: string, body?: unknown): Promise<Response>;
  /** GET, parsed as JSON. */
  // deno-lint-ignore no-explicit-any
  get(path: string): Promise<any>;
  close(): Promise<void>;
}

export async function startAgentRig(o: {
  env?: Record<string, string>;
  mode?: RunMode;
  log?: Logger;
  /** Paper mode: the simulator's scenario (default FIXED_USD_JPY). */
  scenario?: object;
  /** Where the journal goes (default: a fresh temp directory, removed at close). */
  dir?: string;
} = {}): Promise<AgentRig> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), "sekisho-agent-"));
  const mode = o.mode ?? "paper";
  const { config } = parseConfig({ DB_PATH: join(dir, "orders.db"), CONTROL_TOKEN, LOG_LEVEL: "silent", ...WORKERS_OFF, ...o.env });
  const agent = await startAgent({ config, mode, log: o.log ?? silentLogger, ...(mode === "paper" ? { simScenario: parseScenario(o.scenario ?? FIXED_USD_JPY) } : {}) });
  const app = createApp(createApiDeps(agent), { controlToken: CONTROL_TOKEN, requireTokenEverywhere: false, bodyLimitBytes: 65536 });
  const server = await serveHttp(app.fetch, { hostname: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${server.port}`;
  const headers = { Authorization: `Bearer ${CONTROL_TOKEN}`, "content-type": "application/json" };
  return {
    agent, dir, server, base,
    post: (path, body) => fetch(`${base}${path}`, { method: "POST", headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    get: async (path) => (await fetch(`${base}${path}`)).json(),
    close: async () => {
      await server.close();
      await agent.stop();
      if (!o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
