// A repeated operator id answers with the first decision, across a restart too: a signal the
// gate skipped (here: the kill switch) and sent again after the agent restarted on the same
// journal, with the cause gone, is answered as that skip and makes no order. Before, the
// decision was only in the process's memory: after a restart the repeat went to the gate again
// and traded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openJournal } from "../../src/store/index.ts";
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

describe("a repeated operator id whose journal holds a skip and then an order (a journal from before the rule)", () => {
  it("is answered as the order, never as the skip", async () => {
    const dir2 = mkdtempSync(join(tmpdir(), "sekisho-repeat-"));
    let r2: AgentRig | undefined;
    try {
      r2 = await startAgentRig({ dir: dir2, scenario: { ...FIXED_USD_JPY, maintenance: false } });
      const made = await (await r2.post("/control/signal", { id: "both", instrument: "USD_JPY", side: "buy", units: 1000 })).json();
      expect(made).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
      await r2.close();
      r2 = undefined;
      // An older skip for the same signal, as the journal of an earlier release could hold it
      // (skipped, then traded when repeated after a restart): the order must win.
      const j = await openJournal({ path: join(dir2, "orders.db") });
      const first = await j.db.selectFrom("decisions").select(["account_id", "mode"]).where("signal_id", "=", "op-both").executeTakeFirstOrThrow();
      await j.db.insertInto("decisions").values({ ts: "2000-01-01T00:00:00.000Z", signal_id: "op-both", worker: "operator", strategy: "operator", pocket: "macro", instrument: "USD_JPY", side: "buy", outcome: "skipped", reason: "kill_switch", units: null, detail_json: "{}", client_id: null, account_id: first.account_id, mode: first.mode } as never).execute();
      // Made the oldest row, as the skip would have been.
      await j.db.updateTable("decisions").set({ id: 0 } as never).where("reason", "=", "kill_switch").execute();
      const firstNow = await j.decisions.firstFor("op-both");
      await j.close();
      expect(firstNow).toMatchObject({ outcome: "skipped", reason: "kill_switch" });
      r2 = await startAgentRig({ dir: dir2, scenario: { ...FIXED_USD_JPY, maintenance: false } });
      const again = await (await r2.post("/control/signal", { id: "both", instrument: "USD_JPY", side: "buy", units: 1000 })).json();
      expect(again).toMatchObject({ outcome: "accepted", clientId: made.clientId, orderStatus: "filled" });
      const orders = (await r2.get("/orders?limit=50")).orders as Array<{ clientId: string }>;
      expect(orders.map((o) => o.clientId)).toEqual([made.clientId]);
    } finally {
      await r2?.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  }, 60_000);
});
