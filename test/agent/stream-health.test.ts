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
    // Connected (again and again) but never a line: a connection is not a line, so still from the
    // start, whatever the stream's state says of its latest connection.
    const reconnected = (at: number) => ({ connected: true, connectedSince: at });
    expect(streamStatus(reconnected(5_000), 10_000, o)).toBe("ok");
    expect(streamStatus(reconnected(59_000), 60_000, o)).toBe("degraded");
    expect(streamStatus(reconnected(129_500), 130_000, o)).toBe("down");
  });
});

// The two agents below are separate (each its own simulator, journal and port) and their tests
// mostly wait out stream timeouts, so they run at the same time.
describe.concurrent("/health through a stream stall and reconnect (paper agent, simulator faults)", () => {
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

describe.concurrent("/health when the pricing stream answers but never writes a line, from start-up (paper agent)", () => {
  let rig: AgentRig;

  beforeAll(async () => {
    // The broker accepts every stream connection and then stays silent: each reconnect is a new
    // connection, never a line, so nothing may read as fresh.
    rig = await startAgentRig({ env: { STREAM_HEARTBEAT_TIMEOUT_MS: "1000", STREAM_DOWN_AFTER_SEC: "3" }, scenario: { ...FIXED_USD_JPY, heartbeatMs: 200, faults: { stallStream: true } } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it("never ok once the heartbeat timeout has passed, however often it reconnects; down (503) past STREAM_DOWN_AFTER_SEC", async () => {
    // Sampled every 50 ms for 6 s: a new connection must not make the silence look fresh (it did:
    // /health read ok for a heartbeat timeout after every reconnect, and never went down while
    // the reconnects came sooner than STREAM_DOWN_AFTER_SEC).
    const seen: Array<{ uptimeSec: number; status: string; connected: boolean; reconnects: number; code: number }> = [];
    const until = Date.now() + 6_000;
    while (Date.now() < until) {
      const r = await fetch(`${rig.base}/health`);
      const b = (await r.json()) as any;
      seen.push({ uptimeSec: b.uptimeSec, status: b.checks.pricingStream.status, connected: b.checks.pricingStream.connected, reconnects: b.checks.pricingStream.reconnects, code: r.status });
      await new Promise((d) => setTimeout(d, 50));
    }
    const late = seen.filter((x) => x.uptimeSec > 1.5);
    expect(late.length).toBeGreaterThan(20);
    expect(late.filter((x) => x.status === "ok")).toEqual([]);
    expect(Math.max(...seen.map((x) => x.reconnects))).toBeGreaterThanOrEqual(1);
    const down = seen.filter((x) => x.uptimeSec > 3.5);
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((x) => x.status === "down" && x.code === 503)).toBe(true);
  }, 40_000);
});
