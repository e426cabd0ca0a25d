// The OANDA client's tests run against the project's simulator (src/sim) on loopback, the same
// wire protocol paper mode uses; faults through setFaults (/sim/faults). Every request the client
// makes goes through a recording fetch, so "sent exactly once" and "this body" are observed on
// the wire, not assumed.
import { afterEach, beforeEach } from "vitest";
import { OandaClient, type OandaClientOptions } from "../../src/oanda/client.ts";
import { startSimulator, type SimHandle, type ScenarioInput } from "../../src/sim/index.ts";
import type { MarketOrderRequest } from "../../src/core/orders.ts";
import { waitUntil } from "../helpers/wait.ts";

export interface Sent {
  method: string;
  path: string;
  body?: unknown;
  status?: number;
}

export interface Rig {
  sim: SimHandle;
  sent: Sent[];
  /** A client of this simulator; `onAnswer` sees each answer's status (e.g. to clear a fault). */
  client(o?: Partial<OandaClientOptions> & { onAnswer?: (status: number) => void }): OandaClient;
  /** How many requests went out with this method to a path ending so. */
  count(method: string, pathEnd: string): number;
  /** Things to stop after the test (streams). */
  stops: (() => Promise<void>)[];
}

/** A fresh simulator for each test (fixed prices 155.000/155.008, no slippage), closed after it. */
export function simRig(scenario: ScenarioInput = {}): Rig {
  const rig = { sent: [] as Sent[], stops: [] as (() => Promise<void>)[] } as Rig;
  beforeEach(async () => {
    rig.sim = await startSimulator({ scenario: { ticks: { source: "fixed" }, heartbeatMs: 50, execution: { slippagePips: 0 }, maintenance: false, ...scenario }, throttleMs: 10 });
    rig.sent = [];
  });
  afterEach(async () => {
    for (const s of rig.stops.splice(0)) await s();
    await rig.sim.close();
  });
  rig.client = ({ onAnswer, ...o } = {}) => {
    const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const rec: Sent = { method: init?.method ?? "GET", path: new URL(String(input)).pathname, body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined };
      rig.sent.push(rec);
      const res = await fetch(input, init);
      rec.status = res.status;
      onAnswer?.(res.status);
      return res;
    }) as typeof fetch;
    const { sim } = rig;
    return new OandaClient({ restUrl: sim.restUrl, streamUrl: sim.streamUrl, token: sim.token, accountId: sim.accountId, timeoutMs: 3_000, retry: { baseMs: 1, capMs: 20 }, fetch: f, ...o });
  };
  rig.count = (method, pathEnd) => rig.sent.filter((r) => r.method === method && r.path.endsWith(pathEnd)).length;
  return rig;
}

let seq = 0;
/** A MARKET order request with a fresh client id. */
export const marketOrder = (o: Partial<MarketOrderRequest> = {}): MarketOrderRequest => ({
  clientId: `sk-test-${++seq}-${Date.now()}`, instrument: "USD_JPY", side: "buy", units: 1000, timeInForce: "FOK", positionFill: "OPEN_ONLY", tag: "sekisho:micro:t", comment: "", ...o,
});

/** Stream timings short enough for tests. */
export const fastStream = { heartbeatTimeoutMs: 400, reconnect: { baseMs: 10, capMs: 100 } };

export async function until(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  await waitUntil(cond, { timeoutMs: limitMs, intervalMs: 10, message: `timed out waiting for ${what}` });
}
