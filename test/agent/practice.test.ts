// Practice mode is the same code as paper mode with other URLs: point OANDA_REST_URL and
// OANDA_STREAM_URL at a separately started simulator, as an operator rehearsing would.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig, runModeOf } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/log.ts";
import { startAgent, type Agent } from "../../src/agent/agent.ts";
import { parseScenario, startSimulator, type SimHandle } from "../../src/sim/index.ts";

let sim: SimHandle | undefined;
let agent: Agent | undefined;
const dir = mkdtempSync(join(tmpdir(), "sekisho-practice-"));

afterAll(async () => {
  await agent?.stop();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("practice mode against an OANDA-compatible server", () => {
  it("reads the account, streams prices and trades through the gate with the configured credentials", async () => {
    sim = await startSimulator({ scenario: parseScenario({ token: "practice-token-123", account: { id: "101-004-1234567-001" }, ticks: { source: "fixed" }, maintenance: false }) });
    const { config } = parseConfig({
      OANDA_TOKEN: "practice-token-123", OANDA_ACCOUNT_ID: "101-004-1234567-001", OANDA_REST_URL: sim.restUrl, OANDA_STREAM_URL: sim.streamUrl,
      DB_PATH: join(dir, "orders.db"), FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0", LOG_LEVEL: "silent",
    });
    expect(runModeOf(config)).toBe("practice");
    agent = await startAgent({ config, mode: "practice", log: silentLogger });
    expect(agent.sim).toBeUndefined();
    expect(agent.account.snapshot()?.id).toBe("101-004-1234567-001");
    expect(agent.pricing.state.connected).toBe(true);
    const d = await agent.gate.process({
      id: "practice-1", worker: "operator", strategy: "test", pocket: "macro", instrument: "USD_JPY", side: "sell", confidence: 50,
      proposedUnits: 3000, reduceOnly: false, attachSlTp: false, createdAt: Date.now(), ttlMs: 10_000,
    });
    expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled", units: 3000 });
    expect(sim.engine.numbers().marginUsed).toBeGreaterThan(0);
  });

  it("a wrong token stops start-up with a clear error", async () => {
    const { config } = parseConfig({
      OANDA_TOKEN: "wrong", OANDA_ACCOUNT_ID: "101-004-1234567-001", OANDA_REST_URL: sim!.restUrl, OANDA_STREAM_URL: sim!.streamUrl,
      DB_PATH: join(dir, "orders2.db"), LOG_LEVEL: "silent",
    });
    await expect(startAgent({ config, mode: "practice", log: silentLogger })).rejects.toThrow(/401|auth|token/i);
  });
});
