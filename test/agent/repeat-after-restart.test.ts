// A repeated operator id answers with the first decision, across a restart too: a signal the
// gate skipped (here: the kill switch) and sent again after the agent restarted on the same
// journal, with the cause gone, is answered as that skip and makes no order. Before, the
// decision was only in the process's memory: after a restart the repeat went to the gate again
// and traded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type AgentRig, FIXED_USD_JPY, startAgentRig } from "../helpers/agent-rig.ts";

const dir = mkdtempSync(join(tmpdir(), "sekisho-repeat-"));
let rig: AgentRig | undefined;
afterAll(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a repeated operator id after a restart", () => {
  it("is answered with the skip it got before the restart, and sends nothing", async () => {
    const scenario = { ...FIXED_USD_JPY, maintenance: false };
    rig = await startAgentRig({ dir, scenario });
    expect((await rig.post("/control/kill")).status).toBe(200);
    const first = await (await rig.post("/control/signal", { id: "again", instrument: "USD_JPY", side: "buy", units: 1000 })).json();
    expect(first).toMatchObject({ outcome: "skipped", reason: "kill_switch" });
    await rig.close();

    rig = await startAgentRig({ dir, scenario });
    expect((await rig.post("/control/resume")).status).toBe(200);
    // The cause is gone: a new id trades.
    const fresh = await (await rig.post("/control/signal", { id: "new", instrument: "USD_JPY", side: "buy", units: 1000 })).json();
    expect(fresh).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    // The repeated id is answered as before, and makes no order.
    const again = await (await rig.post("/control/signal", { id: "again", instrument: "USD_JPY", side: "buy", units: 1000 })).json();
    expect(again).toMatchObject({ outcome: "skipped", reason: "kill_switch", clientId: null });
    const orders = (await rig.get("/orders?limit=50")).orders as Array<{ clientId: string }>;
    expect(orders.map((o) => o.clientId)).toEqual([fresh.clientId]);
  }, 60_000);
});
