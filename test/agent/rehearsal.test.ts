// The gate's rehearsal in the running agent (paper mode, prices streaming, fast_scalp on):
// the gate rehearses fast_scalp's next entry after each tick, and the broker still receives
// exactly the orders the journal holds, none of them a rehearsal's. Counted at the broker's side.
import { afterEach, describe, expect, it } from "vitest";
import { type AgentRig, startAgentRig } from "../helpers/agent-rig.ts";
import { waitUntil } from "../helpers/wait.ts";
import { listOrders } from "../../src/store/index.ts";

let rig: AgentRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const metric = (text: string, line: string) => Number(text.split("\n").find((l) => l.startsWith(line))?.split(" ").pop() ?? 0);

describe("the agent rehearses while it waits (GATE_REHEARSAL, on by default)", () => {
  it("rehearses on the stream's ticks, and the broker receives exactly the journal's orders", async () => {
    rig = await startAgentRig({
      env: { FAST_SCALP_ENABLED: "1", FAST_SCALP_UNITS: "1000", FAST_SCALP_COOLDOWN_SEC: "0" },
      scenario: { maintenance: false, instruments: { USD_JPY: { bid: 154.998, ask: 155.002 } }, ticks: { source: "synthetic", seed: 7, ratePerSec: 200 } },
    });
    const { agent } = rig;
    const rehearsed = async () => metric(await (await fetch(`${rig!.base}/metrics`)).text(), 'sekisho_gate_rehearsals_total{reached="request"}');
    // The simulator streams a few prices a second, as OANDA does: some rehearsals stop at a skip (a wide spread).
    await waitUntil(async () => (await rehearsed()) >= 5, { timeoutMs: 15_000, intervalMs: 20, message: "the agent rehearsed fewer than 5 entries to the request in 15 s of streaming prices" });
    // Operator entries through the bus and the gate while ticks keep coming and rehearsals run.
    for (let i = 0; i < 5; i++) {
      const r = await rig.post("/control/signal", { instrument: "USD_JPY", side: i % 2 ? "sell" : "buy", units: 2000 + i });
      expect(await r.json()).toMatchObject({ outcome: "accepted", orderStatus: "filled", units: 2000 + i });
    }
    const after = await rehearsed();
    await waitUntil(async () => (await rehearsed()) > after, { timeoutMs: 10_000, intervalMs: 20, message: "no rehearsal after the operator's orders" });
    const brokerOrders = agent.sim!.engine.transactions().filter((t) => t.type === "MARKET_ORDER") as Array<{ clientExtensions?: { id?: string } }>;
    const rows = (await listOrders(agent.journal.db, { limit: 1000 })).rows;
    // Every order the broker got is a journal row, and there are as many rows as orders.
    expect(brokerOrders.length).toBe(rows.length);
    expect(brokerOrders.map((t) => t.clientExtensions?.id).sort()).toEqual(rows.map((r) => r.clientId).sort());
    expect(rows.filter((r) => r.signalId.includes("rehearsal"))).toEqual([]);
    expect(rows.filter((r) => r.worker === "operator")).toHaveLength(5);
  });

  it("with GATE_REHEARSAL_EVERY_MS it also rehearses between prices; without, only after them", async () => {
    const fixed = { maintenance: false, instruments: { USD_JPY: { bid: 154.998, ask: 155.002 } }, ticks: { source: "fixed" } };
    const count = async (r: AgentRig) => metric(await (await fetch(`${r.base}/metrics`)).text(), 'sekisho_gate_rehearsals_total{reached="request"}');
    rig = await startAgentRig({ env: { FAST_SCALP_ENABLED: "1", FAST_SCALP_UNITS: "1000", GATE_REHEARSAL_EVERY_MS: "5" }, scenario: fixed });
    // The price does not move: the stream's first price, then heartbeats only.
    await waitUntil(async () => (await count(rig!)) >= 20, { timeoutMs: 10_000, intervalMs: 20, message: "fewer than 20 timer rehearsals in 10 s" });
    await rig.close();
    rig = await startAgentRig({ env: { FAST_SCALP_ENABLED: "1", FAST_SCALP_UNITS: "1000" }, scenario: fixed });
    await new Promise((r) => setTimeout(r, 500));
    expect(await count(rig)).toBeLessThanOrEqual(2);
  });
});
