// The agent raises its alerts: start, a fill, the kill switch, pauses, margin levels and stop,
// delivered to a webhook receiver on loopback while it trades on paper.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/log.ts";
import { type Agent, startAgent } from "../../src/agent/agent.ts";
import { createApiDeps } from "../../src/agent/api.ts";
import { parseScenario } from "../../src/sim/index.ts";
import { type Receiver, startReceiver } from "./receiver.ts";
import { waitUntil } from "../helpers/wait.ts";

let dir: string;
let agent: Agent | undefined;
let hook: Receiver;
const texts = () => hook.received.map((r) => String(r.body["text"]));
async function until(what: string, pred: () => boolean, ms = 10_000) {
  await waitUntil(pred, { timeoutMs: ms, intervalMs: 50, message: () => `${what}: not within ${ms} ms; got ${JSON.stringify(texts())}` });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-alerts-"));
  hook = await startReceiver("ok");
  const { config } = parseConfig({
    DB_PATH: join(dir, "orders.db"), LOG_LEVEL: "silent", ALERT_WEBHOOK_URL: hook.url, ALERT_MARGIN_LEVELS: "0.05",
    FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0",
  });
  agent = await startAgent({ config, mode: "paper", log: silentLogger, simScenario: parseScenario({ ticks: { source: "fixed" }, instruments: { USD_JPY: { bid: 154.998, ask: 155.002 } } }) });
});

afterAll(async () => {
  await agent?.stop();
  await hook.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the agent's alerts", () => {
  it("says it started, in which mode", async () => {
    await until("start alert", () => texts().some((t) => t.includes("started in PAPER mode")));
  });

  it("announces a fill, the margin level it crossed, a pause and the kill switch", async () => {
    const api = createApiDeps(agent!);
    const d = await api.control.submitSignal({ id: "alert-1", instrument: "USD_JPY", side: "buy", units: 20_000, pocket: "macro", reduce_only: false, confidence: 50 }, "api:alice");
    expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    await until("fill alert", () => texts().some((t) => t.includes("FILLED BUY 20,000 USD_JPY") && t.includes("sk-op-alert-1")));
    // 20,000 x 155 x 4% = 124,000 JPY margin on a 500,000 JPY NAV: 24.8%, above the 5% level.
    await until("margin level alert", () => texts().some((t) => /margin usage .* crossed 5\.0%/.test(t)), 5_000);
    await api.control.pause("fast_scalp", "api:alice");
    await api.control.kill({ flatten: false }, "api:alice");
    await until("pause and kill alerts", () => texts().some((t) => t.includes("fast_scalp PAUSED by api:alice")) && texts().some((t) => t.includes("KILL SWITCH engaged by api:alice")));
    await api.control.resume(undefined, "api:alice");
    await until("kill lifted", () => texts().some((t) => t.includes("kill switch lifted by api:alice")));
  });

  it("says it is stopping, and the message leaves before the agent is gone", async () => {
    const a = agent!;
    agent = undefined;
    await a.stop();
    expect(texts().some((t) => t.includes("stopping"))).toBe(true);
  });
});
