// The loss-limit guard wired into a real paper agent: the simulator's price moves against an open
// position, the account refresh folds the NAV in, and then entries are refused (loss_limit),
// reduce-only still passes, /health says degraded with the figures, and the gauge reads 1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/log.ts";
import type { Agent } from "../../src/agent/agent.ts";
import { type AgentRig, startAgentRig } from "../helpers/agent-rig.ts";

let rig: AgentRig;
let agent: Agent;
let base: string;
const logLines: Record<string, unknown>[] = [];

const signal = (body: unknown) => rig.post("/control/signal", body).then(async (r) => ({ code: r.status, body: await r.json() as any }));

beforeAll(async () => {
  const log = createLogger("error", { write: (l: string) => void logLines.push(JSON.parse(l)) });
  rig = await startAgentRig({ log, env: { LOG_LEVEL: "error", MAX_DAILY_LOSS: "1%" } }); // 5,000 JPY of 500,000
  ({ agent, base } = rig);
});
afterAll(async () => {
  await rig?.close();
});

describe("MAX_DAILY_LOSS in a running paper agent", () => {
  it("a loss past the limit stops entries, lets reduce-only through, and shows on /health and /metrics", async () => {
    const open = await signal({ instrument: "USD_JPY", side: "buy", units: 50_000 });
    expect(open.body).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    // 50,000 units, 12 pips down: about -6,200 JPY, past 5,000.
    const moved = await fetch(`${agent.sim!.restUrl}/sim/price`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ instrument: "USD_JPY", bid: 154.876, ask: 154.88 }) });
    expect(moved.status).toBe(200);
    await agent.accountSync.refresh();

    const h = await (await fetch(`${base}/health`)).json() as any;
    expect(h.status).toBe("degraded");
    expect(h.checks.lossLimit).toMatchObject({ status: "degraded", engaged: true, scope: "daily", dailyLimit: 5_000 });
    expect(h.checks.lossLimit.dayOpenNav - h.checks.lossLimit.nav).toBeGreaterThanOrEqual(5_000);

    const refused = await signal({ instrument: "USD_JPY", side: "buy", units: 1_000 });
    expect(refused.body).toMatchObject({ outcome: "skipped", reason: "loss_limit", details: { scope: "daily" } });
    const reduce = await signal({ instrument: "USD_JPY", side: "sell", units: 10_000, reduce_only: true });
    expect(reduce.body).toMatchObject({ outcome: "accepted", units: 10_000 });

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/sekisho_loss_limit_engaged\{scope="daily"\} 1/);
    expect(logLines.some((l) => l.event === "loss_limit" && l.scope === "daily" && l.level === 50)).toBe(true);
  });
});
