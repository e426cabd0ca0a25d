// Issue 10, finding 5: an operator's order the broker holds past the timeout. The answer is
// never "unsent": 202 pending with the client id, and GET /orders/{clientId} follows the order to
// its fill. A separate simulator is the broker (practice mode), faults set on it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/log.ts";
import { type Agent, startAgent } from "../../src/agent/agent.ts";
import { createApiDeps } from "../../src/agent/api.ts";
import { createApp } from "../../src/http/app.ts";
import { parseScenario, startSimulator, type SimHandle } from "../../src/sim/index.ts";
import { type RunningServer, serveHttp } from "../../src/runtime/runtime.ts";
import { brokerFacts } from "../helpers/ledger-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";

const TOKEN = "test-control-token-0123456789";
const dir = mkdtempSync(join(tmpdir(), "sekisho-pending-"));
let sim: SimHandle;
let agent: Agent;
let server: RunningServer;
let base: string;
const headers = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startSimulator({ scenario: parseScenario(jpyScenario()) });
  const { config } = parseConfig({
    OANDA_TOKEN: sim.token, OANDA_ACCOUNT_ID: sim.accountId, OANDA_REST_URL: sim.restUrl, OANDA_STREAM_URL: sim.streamUrl,
    DB_PATH: join(dir, "orders.db"), CONTROL_TOKEN: TOKEN, LOG_LEVEL: "silent", ORDER_TIMEOUT_MS: "1500",
    FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0",
  });
  agent = await startAgent({ config, mode: "practice", log: silentLogger });
  const app = createApp(createApiDeps(agent), { controlToken: TOKEN, requireTokenEverywhere: false, bodyLimitBytes: 65536 });
  server = await serveHttp(app.fetch, { hostname: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await agent?.stop();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("POST /control/signal when the broker holds the order", () => {
  it("answers 202 pending with the client id, and GET /orders/{clientId} follows it to the fill", async () => {
    sim.setFaults({ latencyMs: 5_000 });
    const answer = fetch(`${base}/control/signal`, { method: "POST", headers, body: JSON.stringify({ id: "held-1", instrument: "USD_JPY", side: "buy", units: 10_000 }) });
    // Once the order POST is out (its row says submitted) the broker holds it; later requests are not held.
    for (let i = 0; i < 200 && (await agent.journal.orders.findByClientId("sk-op-held-1"))?.status !== "submitted"; i++) await sleep(10);
    await sleep(150);
    sim.setFaults({ latencyMs: 0 });
    const res = await answer;
    expect(res.status).toBe(202);
    const body = await res.json() as Record<string, unknown>;
    expect(body).toMatchObject({ status: "pending", signalId: "op-held-1", clientId: "sk-op-held-1" });
    expect(String(body.message)).toMatch(/GET \/orders/);

    let order: Record<string, unknown> = {};
    for (let i = 0; i < 300 && order.status !== "filled"; i++) {
      await sleep(50);
      order = await (await fetch(`${base}/orders/sk-op-held-1`)).json() as Record<string, unknown>;
    }
    expect(order).toMatchObject({ status: "filled", filledUnits: 10_000 });

    // The same id again is safe: the first decision, no second order at the broker.
    const again = await fetch(`${base}/control/signal`, { method: "POST", headers, body: JSON.stringify({ id: "held-1", instrument: "USD_JPY", side: "buy", units: 10_000 }) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: "accepted", clientId: "sk-op-held-1", orderStatus: "filled" });
    expect(brokerFacts(sim).ordersByClientId().get("sk-op-held-1")).toBe(1);
  });
});
