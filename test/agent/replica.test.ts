// The agent with a Turso replica configured: it starts and trades with the sync server down,
// reports the replica on /health, and on stop pushes what it journaled, so a laptop pulling
// the replica sees the agent's orders.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/log.ts";
import { startAgent, type Agent } from "../../src/agent/agent.ts";
import { createApiDeps } from "../../src/agent/api.ts";
import { parseScenario } from "../../src/sim/index.ts";
import { openRemoteJournal } from "../../src/replica/remote-reader.ts";
import { listOrders } from "../../src/store/index.ts";
import { startSyncServer, type SyncServer } from "../replica/sync-server.ts";
import { waitUntil } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "sekisho-agent-replica-"));
let agent: Agent | undefined;
let server: SyncServer | undefined;

afterAll(async () => {
  await agent?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("agent + Turso replica", () => {
  it("trades with Turso down, then the replica converges on the agent's orders once it is back", async () => {
    server = await startSyncServer(join(dir, "remote.db"), { deferStart: true });
    const { config } = parseConfig({
      DB_PATH: join(dir, "orders.db"), TURSO_DATABASE_URL: server.url, TURSO_AUTH_TOKEN: "test-token", REPLICA_PUSH_INTERVAL_SEC: "0.2",
      FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0", LOG_LEVEL: "silent",
    });
    agent = await startAgent({ config, mode: "paper", log: silentLogger, simScenario: parseScenario({ ticks: { source: "fixed" }, maintenance: false }) });
    const api = createApiDeps(agent);
    const d = await api.control.submitSignal({ id: "replica-1", instrument: "USD_JPY", side: "buy", units: 7000, pocket: "macro", reduce_only: false, confidence: 50 }, "api:test");
    expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    const down = await api.health();
    expect(down.checks.replica.enabled).toBe(true);

    await server.start();
    const replica = agent.replicator;
    await waitUntil(() => replica.state().lastPushAt !== undefined && replica.state().rowsBehind === 0, {
      timeoutMs: 10_000, intervalMs: 100, message: () => `the replica never caught up: ${JSON.stringify(replica.state())}`,
    });
    await agent.stop(); // the final push
    agent = undefined;

    const remote = await openRemoteJournal({ url: server.url, authToken: "test-token", cachePath: join(dir, "laptop-cache.db") });
    try {
      expect(remote.hasJournal).toBe(true);
      const page = await listOrders(remote.db, { limit: 10 });
      expect(page.rows.map((r) => [r.clientId, r.status, r.filledUnits])).toContainEqual([d.clientId, "filled", 7000]);
    } finally {
      await remote.close();
    }
  }, 60_000);
});
