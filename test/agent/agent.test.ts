// The whole agent in-process (paper mode) behind its real HTTP API on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.ts";
import { type AgentRig, FIXED_USD_JPY, startAgentRig } from "../helpers/agent-rig.ts";

let rig: AgentRig;
let agent: Agent;
const post = (path: string, body?: unknown) => rig.post(path, body);
const get = (path: string) => rig.get(path);

beforeAll(async () => {
  // Workers off (the rig's default): this test is about the operator path through the gate.
  rig = await startAgentRig({ scenario: { ...FIXED_USD_JPY, maintenance: false } });
  agent = rig.agent;
});

afterAll(async () => {
  await rig?.close();
});

describe("the agent behind its API (paper mode)", () => {
  it("is healthy in paper mode with both streams connected", async () => {
    const h = await get("/health");
    expect(h.status).toBe("ok");
    expect(h.mode).toBe("paper");
    expect(h.checks.pricingStream.connected).toBe(true);
    expect(h.checks.transactionStream.connected).toBe(true);
    expect(h.checks.journal.writable).toBe(true);
  });

  it("an operator signal goes through the gate; the same id again never makes a second order", async () => {
    const r1 = await post("/control/signal", { id: "twice", instrument: "USD_JPY", side: "buy", units: 20000 });
    expect(r1.status).toBe(200);
    const d1 = await r1.json();
    expect(d1).toMatchObject({ outcome: "accepted", units: 20000, orderStatus: "filled" });
    const r2 = await post("/control/signal", { id: "twice", instrument: "USD_JPY", side: "buy", units: 20000 });
    const d2 = await r2.json();
    expect(d2.clientId).toBe(d1.clientId);
    const orders = await get("/orders?limit=50");
    expect(orders.orders.filter((o: { clientId: string }) => o.clientId === d1.clientId)).toHaveLength(1);
    const pos = (await agent.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.long).toBe(20000);
  });

  it("/positions shows the position in the operator's macro pocket, with margin and headroom", async () => {
    await agent.accountSync.refresh();
    const p = await get("/positions");
    const u = p.instruments.find((i: { instrument: string }) => i.instrument === "USD_JPY");
    expect(u).toMatchObject({ long: 20000, short: 0, net: 20000 });
    expect(u.pockets).toContainEqual({ pocket: "macro", long: 20000, short: 0, trades: 1 });
    expect(u.margin.broker).toBeGreaterThan(0);
    expect(u.headroom.sell.netReducing).toBe(true);
    expect(u.headroom.buy.units).toBeGreaterThan(0);
    expect(p.account.margin_usage_ratio).toBeCloseTo(p.account.marginUsed / p.account.nav, 9);
  });

  it("the kill switch refuses entries but lets a reduce-only signal through; flatten closes sekisho's position", async () => {
    expect((await post("/control/kill")).status).toBe(200);
    const entry = await (await post("/control/signal", { instrument: "USD_JPY", side: "buy", units: 1000 })).json();
    expect(entry).toMatchObject({ outcome: "skipped", reason: "kill_switch" });
    const reduce = await (await post("/control/signal", { instrument: "USD_JPY", side: "sell", units: 5000, reduce_only: true })).json();
    expect(reduce).toMatchObject({ outcome: "accepted", units: 5000, orderStatus: "filled" });
    await agent.accountSync.refresh();
    const flat = await (await post("/control/flatten?instrument=USD_JPY")).json();
    expect(flat.orders).toHaveLength(1);
    expect(flat.orders[0]).toMatchObject({ side: "sell", units: 15000, outcome: "filled" });
    const pos = (await agent.client.accountDetails()).positions;
    expect(pos.find((p) => p.instrument === "USD_JPY")?.long ?? 0).toBe(0);
    const resumed = await (await post("/control/resume")).json();
    expect(resumed.killSwitch.engaged).toBe(false);
    const journaled = await agent.journal.control.recent(10);
    expect(journaled.map((c) => c.action)).toEqual(expect.arrayContaining(["kill", "flatten", "resume"]));
  });
});
