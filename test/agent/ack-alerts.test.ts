// Acknowledging the ledger's alerts, on the agent's own HTTP server against a separate simulator:
// a fill the journal cannot attribute (sekisho's client-id prefix, no journal row) degrades the
// `ledger` check; POST /control/ack-alerts (bearer token) makes it ok again, is journaled as a
// control row with the actor, and the next such fill degrades it again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.ts";
import { parseScenario, type SimHandle, startSimulator } from "../../src/sim/index.ts";
import { type AgentRig, CONTROL_TOKEN as TOKEN, startAgentRig } from "../helpers/agent-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { delay as sleep, waitUntil } from "../helpers/wait.ts";

let sim: SimHandle;
let rig: AgentRig;
let agent: Agent;
let base: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: parseScenario(jpyScenario()) });
  rig = await startAgentRig({ mode: "practice", env: { OANDA_TOKEN: sim.token, OANDA_ACCOUNT_ID: sim.accountId, OANDA_REST_URL: sim.restUrl, OANDA_STREAM_URL: sim.streamUrl } });
  ({ agent, base } = rig);
});

afterAll(async () => {
  await rig?.close();
  await sim?.close();
});

type LedgerCheck = { status: string; unattributedFills: number; acknowledged: { at: string; by: string } | null };
const ledgerCheck = async (): Promise<LedgerCheck> => ((await (await fetch(`${base}/health`)).json()) as { checks: { ledger: LedgerCheck } }).checks.ledger;

/** An order placed at the broker with sekisho's client-id prefix that no journal row has. */
async function strangerFill(clientId: string): Promise<void> {
  const res = await fetch(`${sim.restUrl}/v3/accounts/${sim.accountId}/orders`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sim.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ order: { type: "MARKET", instrument: "USD_JPY", units: "1000", timeInForce: "FOK", positionFill: "DEFAULT", clientExtensions: { id: clientId } } }),
  });
  expect(res.status).toBe(201);
}

const until = (what: string, cond: () => Promise<boolean>) => waitUntil(cond, { timeoutMs: 15_000, intervalMs: 50, message: `${what}: not within 15 s` });

const ack = (headers: Record<string, string>) => fetch(`${base}/control/ack-alerts`, { method: "POST", headers });

describe("POST /control/ack-alerts", () => {
  it("makes /health's ledger check ok again after an unattributed fill, is journaled, and the next alert degrades it again", async () => {
    expect(await ledgerCheck()).toMatchObject({ status: "ok", unattributedFills: 0, acknowledged: null });

    await strangerFill("sk-stranger-1");
    await until("the ledger check to degrade", async () => (await ledgerCheck()).status === "degraded");

    // Like every control route: no token, no acknowledgement.
    const refused = await ack({});
    expect(refused.status).toBe(401);
    expect((await ledgerCheck()).status).toBe("degraded");

    const res = await ack({ Authorization: `Bearer ${TOKEN}`, "X-Sekisho-Actor": "ops" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ledger: LedgerCheck };
    expect(body.ledger).toMatchObject({ status: "ok", unattributedFills: 1, acknowledged: { by: "api:ops" } });
    expect(await ledgerCheck()).toMatchObject({ status: "ok", unattributedFills: 1 });
    const rows = await agent.journal.control.recent(5);
    expect(rows.find((r) => r.action === "ack_alerts")).toMatchObject({ actor: "api:ops" });

    await sleep(5); // the next alert is later than the acknowledgement
    await strangerFill("sk-stranger-2");
    await until("the next alert to degrade the check again", async () => (await ledgerCheck()).status === "degraded");
    expect((await ledgerCheck()).unattributedFills).toBe(2);
  });
});
