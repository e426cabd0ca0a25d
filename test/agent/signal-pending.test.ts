// Issue 10, finding 5: an operator's order the broker holds past the timeout. The answer is
// never "unsent": 202 pending with the client id, and GET /orders/{clientId} follows the order to
// its fill. A separate simulator is the broker (practice mode), faults set on it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.ts";
import { parseScenario, startSimulator, type SimHandle } from "../../src/sim/index.ts";
import { type AgentRig, CONTROL_TOKEN, startAgentRig } from "../helpers/agent-rig.ts";
import { brokerFacts } from "../helpers/ledger-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { delay as sleep, waitUntil } from "../helpers/wait.ts";

let sim: SimHandle;
let rig: AgentRig;
let agent: Agent;
let base: string;
const headers = { Authorization: `Bearer ${CONTROL_TOKEN}`, "content-type": "application/json" };

beforeAll(async () => {
  sim = await startSimulator({ scenario: parseScenario(jpyScenario()) });
  rig = await startAgentRig({
    mode: "practice",
    env: { OANDA_TOKEN: sim.token, OANDA_ACCOUNT_ID: sim.accountId, OANDA_REST_URL: sim.restUrl, OANDA_STREAM_URL: sim.streamUrl, ORDER_TIMEOUT_MS: "1500" },
  });
  ({ agent, base } = rig);
});

afterAll(async () => {
  await rig?.close();
  await sim?.close();
});

describe("POST /control/signal when the broker holds the order", () => {
  it("answers 202 pending with the client id, and GET /orders/{clientId} follows it to the fill", async () => {
    sim.setFaults({ latencyMs: 5_000 });
    const answer = fetch(`${base}/control/signal`, { method: "POST", headers, body: JSON.stringify({ id: "held-1", instrument: "USD_JPY", side: "buy", units: 10_000 }) });
    // Once the order POST is out (its row says submitted) the broker holds it; later requests are not held.
    await waitUntil(async () => (await agent.journal.orders.findByClientId("sk-op-held-1"))?.status === "submitted", { timeoutMs: 10_000, intervalMs: 10, message: "the held order's row never said submitted" });
    await sleep(150);
    sim.setFaults({ latencyMs: 0 });
    const res = await answer;
    expect(res.status).toBe(202);
    const body = await res.json() as Record<string, unknown>;
    expect(body).toMatchObject({ status: "pending", signalId: "op-held-1", clientId: "sk-op-held-1" });
    expect(String(body.message)).toMatch(/GET \/orders/);

    let order: Record<string, unknown> = {};
    await waitUntil(async () => {
      order = await (await fetch(`${base}/orders/sk-op-held-1`)).json() as Record<string, unknown>;
      return order.status === "filled";
    }, { timeoutMs: 15_000, intervalMs: 50, message: () => `the held order never filled: ${JSON.stringify(order)}` });
    expect(order).toMatchObject({ status: "filled", filledUnits: 10_000 });

    // The same id again is safe: the first decision, no second order at the broker.
    const again = await fetch(`${base}/control/signal`, { method: "POST", headers, body: JSON.stringify({ id: "held-1", instrument: "USD_JPY", side: "buy", units: 10_000 }) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: "accepted", clientId: "sk-op-held-1", orderStatus: "filled" });
    expect(brokerFacts(sim).ordersByClientId().get("sk-op-held-1")).toBe(1);
  });
});

describe("POST /control/signal with an id whose first copy is still waiting for the gate", () => {
  it("puts no second copy on the bus: the repeat waits for the first copy's decision, and both answers are that one", async () => {
    // The gate is held by another order the broker sits on; "queued" waits behind it in the bus.
    sim.setFaults({ latencyMs: 2_500 });
    const holder = fetch(`${base}/control/signal`, { method: "POST", headers, body: JSON.stringify({ id: "holds-gate", instrument: "USD_JPY", side: "buy", units: 1_000 }) });
    await waitUntil(async () => (await agent.journal.orders.findByClientId("sk-op-holds-gate"))?.status === "submitted", { timeoutMs: 10_000, intervalMs: 10, message: "the holding order's row never said submitted" });
    sim.setFaults({ latencyMs: 0 });
    const before = agent.bus.counters.published;
    const body = JSON.stringify({ id: "queued", instrument: "USD_JPY", side: "buy", units: 1_000 });
    const first = fetch(`${base}/control/signal`, { method: "POST", headers, body });
    await waitUntil(() => agent.bus.counters.published === before + 1, { timeoutMs: 5_000, intervalMs: 5, message: "the first copy never reached the bus" });
    const repeat = fetch(`${base}/control/signal`, { method: "POST", headers, body });
    const [a, b] = await Promise.all([first, repeat]);
    await holder;
    expect(agent.bus.counters.published).toBe(before + 1);
    const [da, db] = [await a.json(), await b.json()] as Array<Record<string, unknown>>;
    expect(da).toMatchObject({ clientId: "sk-op-queued" });
    expect(db).toMatchObject({ clientId: "sk-op-queued" });
    await waitUntil(async () => ((await (await fetch(`${base}/orders/sk-op-queued`)).json()) as { status?: string }).status === "filled", { timeoutMs: 15_000, intervalMs: 50, message: "the queued order never filled" });
    expect(brokerFacts(sim).ordersByClientId().get("sk-op-queued")).toBe(1);
  }, 30_000);
});
