// /health a supervisor can trust: a stream that drops or stalls reads degraded (200) while it
// reconnects, and down (503) only past STREAM_DOWN_AFTER_SEC. The rule, then a real paper agent
// through a stall the simulator injects (/sim/faults) and its recovery.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamStatus } from "../../src/agent/stream-health.ts";
import type { Agent } from "../../src/agent/agent.ts";
import { type AgentRig, FIXED_USD_JPY, startAgentRig } from "../helpers/agent-rig.ts";
import { waitUntil } from "../helpers/wait.ts";

describe("streamStatus", () => {
  const o = { heartbeatTimeoutMs: 15_000, downAfterMs: 120_000, startedAt: 0 };
  it("ok while connected and lines arrive; degraded while silent or reconnecting; down past the limit", () => {
    expect(streamStatus({ connected: true, lastMessageAt: 1_000 }, 10_000, o)).toBe("ok");
    expect(streamStatus({ connected: true, lastMessageAt: 1_000 }, 20_000, o)).toBe("degraded");
    expect(streamStatus({ connected: false, lastMessageAt: 1_000 }, 2_000, o)).toBe("degraded");
    expect(streamStatus({ connected: false, lastMessageAt: 1_000 }, 121_000, o)).toBe("degraded");
    expect(streamStatus({ connected: false, lastMessageAt: 1_000 }, 121_001, o)).toBe("down");
    // Never a line since start: counted from the start.
    expect(streamStatus({ connected: false }, 60_000, o)).toBe("degraded");
    expect(streamStatus({ connected: false }, 130_000, o)).toBe("down");
  });
});

describe("/health through a stream stall and reconnect (paper agent, simulator faults)", () => {
  let rig: AgentRig;
  let agent: Agent;
  let base: string;

  beforeAll(async () => {
    rig = await startAgentRig({ env: { STREAM_HEARTBEAT_TIMEOUT_MS: "1000", STREAM_DOWN_AFTER_SEC: "4" }, scenario: { ...FIXED_USD_JPY, heartbeatMs: 200 } });
    ({ agent, base } = rig);
  });
  afterAll(async () => {
    await rig?.close();
  });

  const health = async () => {
    const r = await fetch(`${base}/health`);
    return { code: r.status, body: (await r.json()) as any };
  };
  const faults = (f: Record<string, unknown>) => fetch(`${agent.sim!.restUrl}/sim/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(f) });
  async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
    let v!: T;
    await waitUntil(async () => ok((v = await get())), { timeoutMs: ms, intervalMs: 100, message: () => `timed out waiting for ${what}: ${JSON.stringify(v)}` });
    return v;
  }

  it("ok -> degraded (200) while reconnecting -> down (503) past the limit -> ok again", async () => {
    const first = await until("ok", health, (h) => h.body.checks.pricingStream.status === "ok");
    expect(first.code).toBe(200);
    expect((await faults({ stallStream: true })).status).toBe(200);
    // Silent past the heartbeat timeout: the stream reconnects, and /health says degraded, 200.
    const blip = await until("degraded", health, (h) => h.body.checks.pricingStream.status === "degraded");
    expect(blip.code).toBe(200);
    expect(blip.body.status).toBe("degraded");
    await until("a reconnect", health, (h) => h.body.checks.pricingStream.reconnects >= 1);
    // Still nothing after STREAM_DOWN_AFTER_SEC: down, 503.
    const down = await until("down", health, (h) => h.body.checks.pricingStream.status === "down");
    expect(down.code).toBe(503);
    // The broker is back: ok again without a restart.
    await faults({ stallStream: false });
    const back = await until("ok again", health, (h) => h.body.checks.pricingStream.status === "ok" && h.body.checks.transactionStream.status === "ok", 40_000);
    expect(back.code).toBe(200);
  }, 60_000);
});
