// The OANDA-compatible simulator: start it on a loopback port and point the OANDA client at
// restUrl/streamUrl. REST and streams share one port, served by one Hono app.
import { wallClock, type Clock } from "../core/types.ts";
import type { Logger } from "../core/log.ts";
import { serveHttp } from "../runtime/runtime.ts";
import { createSimApp } from "./app.ts";
import { SimEngine } from "./engine.ts";
import { FaultState } from "./faults.ts";
import { parseScenario, type Faults, type Scenario, type ScenarioInput } from "./scenario.ts";
import { startTicks } from "./ticks.ts";

export { SimEngine, REDUCE_ONLY_NOTHING_TO_REDUCE } from "./engine.ts";
export type { OrderResult, PriceState, SimOrder, SimTrade, TickInput, Transaction } from "./engine.ts";
export { createSimApp } from "./app.ts";
export { FaultState } from "./faults.ts";
export { parseScenario, ScenarioError, DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN } from "./scenario.ts";
export type { Faults, Scenario, ScenarioInput } from "./scenario.ts";

export interface SimOptions {
  /** A scenario, possibly partial; validated (ScenarioError on bad input). */
  scenario?: ScenarioInput | Scenario;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  clock?: Clock;
  log?: Logger;
  /** Gap between two prices of one instrument on one stream (default 250 ms = 4 a second). */
  throttleMs?: number;
}

export interface SimHandle {
  /** Base URL without /v3, e.g. http://127.0.0.1:41234 */
  restUrl: string;
  /** Same server as restUrl (OANDA uses a separate host; the simulator does not need one). */
  streamUrl: string;
  accountId: string;
  token: string;
  engine: SimEngine;
  scenario: Scenario;
  setFaults(f: Partial<Faults>): void;
  getFaults(): Faults;
  close(): Promise<void>;
}

export async function startSimulator(opts: SimOptions = {}): Promise<SimHandle> {
  const scenario = parseScenario(opts.scenario ?? {});
  const clock = opts.clock ?? wallClock;
  const engine = new SimEngine(scenario, clock);
  const faults = new FaultState(scenario.faults);
  const { app, shutdown } = createSimApp({ engine, token: scenario.token, faults, heartbeatMs: scenario.heartbeatMs, submitLatencyMs: scenario.execution.submitLatencyMs, throttleMs: opts.throttleMs, log: opts.log });
  const host = opts.host ?? "127.0.0.1";
  const server = await serveHttp(app.fetch, { hostname: host, port: opts.port ?? 0 });
  let ticks: ReturnType<typeof startTicks>;
  try {
    ticks = startTicks(engine, scenario.ticks, opts.log);
  } catch (e) {
    await server.close();
    throw e;
  }
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const base = `http://${urlHost}:${server.port}`;
  let closed = false;
  return {
    restUrl: base,
    streamUrl: base,
    accountId: engine.accountId,
    token: scenario.token,
    engine,
    scenario,
    setFaults: (f) => void faults.set(f),
    getFaults: () => faults.get(),
    async close() {
      if (closed) return;
      closed = true;
      ticks.stop();
      shutdown();
      await server.close();
    },
  };
}
