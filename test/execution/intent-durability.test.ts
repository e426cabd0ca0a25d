// An order's intent is durable before its request leaves, and the journal holds its row while the
// request is out. The journal is opened as the agent opens it (its owner, on a file), so the
// intent goes through the intent log (src/store/intent-log.ts): a line before the request, the
// row right after it. Against a separate simulator as the broker; orders counted at the broker.
import { readFileSync } from "node:fs";
import { afterEach, expect, it } from "vitest";
import { clientIdForSignal } from "../../src/core/client-id.ts";
import { intentLogPath } from "../../src/store/intent-log.ts";
import { brokerFacts, type LedgerRig, operatorSignal, startLedgerRig } from "../helpers/ledger-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { delay as sleep, waitUntil } from "../helpers/wait.ts";

let rig: LedgerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

it("the intent's line is in the log when the request is handed to the broker client, its row is in the journal while the broker holds the POST, and the broker gets one order", async () => {
  rig = await startLedgerRig({ scenario: jpyScenario() });
  const r = rig;
  const logPath = intentLogPath(r.config.DB_PATH);
  const logAtSend: string[] = [];
  // Observe (and call through): what the intent log holds at the moment the request is handed over.
  const submit = r.client.submitMarketOrder.bind(r.client);
  r.client.submitMarketOrder = (req, signal) => {
    logAtSend.push(readFileSync(logPath, "utf8"));
    return submit(req, signal);
  };
  r.sim.setFaults({ latencyMs: 1_500 });
  const s = operatorSignal(r, "durable", { side: "buy", proposedUnits: 10_000 });
  const clientId = clientIdForSignal(s.id);
  const pending = r.p.gate.process(s);
  await waitUntil(() => logAtSend.length > 0, { timeoutMs: 5_000, intervalMs: 10, message: "the order was never handed to the broker client" });
  expect(logAtSend[0]).toContain(`"clientId":"${clientId}"`);
  await sleep(300); // the broker holds the POST
  const rows = await r.journal.db.selectFrom("orders").select(["client_id", "status"]).where("client_id", "=", clientId).execute();
  expect(rows).toEqual([{ client_id: clientId, status: "submitted" }]);
  r.sim.setFaults({ latencyMs: 0 });
  expect((await pending).orderStatus).toBe("filled");
  expect(brokerFacts(r.sim).ordersByClientId().get(clientId)).toBe(1);
  expect((await r.journal.orders.findByClientId(clientId))?.status).toBe("filled");
});
