// The replicator against a real Turso sync server (`turso --sync-server`) on loopback.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Replicator } from "../../src/replica/replicator.ts";
import { openJournal, type Journal } from "../../src/store/index.ts";
import { dumpJournal, pullReplica, writeOrder } from "./helpers.ts";
import { startSyncServer, type SyncServer } from "./sync-server.ts";
import { waitUntil } from "../helpers/wait.ts";

let dir: string;
let server: SyncServer | undefined;
let journal: Journal | undefined;
let replicator: Replicator | undefined;

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "sekisho-replica-")); });
afterEach(async () => {
  await replicator?.stop().catch(() => {});
  await journal?.close();
  await server?.stop();
  replicator = journal = server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function makeReplicator(j: Journal, url: string): Replicator {
  return new Replicator({ journal: j, url, authToken: "any-token", path: join(dir, "orders.replica.db"), intervalSec: 3600, requestTimeoutMs: 5000 });
}

describe("Replicator", () => {
  it("1,000 orders written and pushed are pulled by a second client identical, with decisions, metrics and snapshots", async () => {
    server = await startSyncServer(join(dir, "server.db"));
    journal = await openJournal({ path: join(dir, "orders.db") });
    for (let i = 1; i <= 1000; i++) await writeOrder(journal, i);
    await journal.decisions.insert({ signalId: "sig-1", worker: "fast_scalp", strategy: "tick_momentum", pocket: "scalp_fast", instrument: "USD_JPY", side: "buy", outcome: "skipped", reason: "spread", detail: { spreadPips: 1.3 } });
    await journal.metrics.record("account.margin_usage_ratio", 0.42, { account: "001" });
    await journal.control.insert("pause", "operator", { why: "news" });
    replicator = makeReplicator(journal, server.url);

    const state = await replicator.pushNow();
    expect(state.lastError).toBeUndefined();
    expect(state.rowsBehind).toBe(0);
    expect(state.lastPushedSeq).toBe(await journal.feed.head());

    const local = await dumpJournal(journal);
    const remote = await pullReplica(join(dir, "reader.db"), server.url);
    expect(local.orders).toHaveLength(1000);
    expect(remote).toEqual(local);
  }, 120_000);

  it("starts with Turso unreachable, keeps journaling while it is down, and converges with nothing lost or doubled when it returns", async () => {
    server = await startSyncServer(join(dir, "server.db"), { deferStart: true });
    journal = await openJournal({ path: join(dir, "orders.db") });
    replicator = makeReplicator(journal, server.url);

    // Turso was never reachable: start-up needs no bootstrap, writes go on, lag is reported.
    for (let i = 1; i <= 50; i++) await writeOrder(journal, i);
    let s = await replicator.pushNow();
    expect(s.enabled).toBe(true);
    expect(s.lastError).toMatch(/fetch|connect|refused/i);
    expect(s.rowsBehind).toBe(50);
    expect(s.copiedSeq).toBe(await journal.feed.head()); // copied locally, waiting to be pushed

    await server.start();
    s = await replicator.pushNow();
    expect(s.lastError).toBeUndefined();
    expect(s.rowsBehind).toBe(0);

    // Down again in the middle of trading: orders keep being written and advanced.
    await server.stop();
    for (let i = 51; i <= 150; i++) {
      await writeOrder(journal, i);
      if (i % 25 === 0) await replicator.pushNow();
    }
    await journal.orders.advance("sk-sig-7", "cancelled", { cancelReason: "MARKET_HALTED" });
    s = await replicator.pushNow();
    expect(s.lastError).toBeDefined();
    expect(s.rowsBehind).toBe(101);

    await server.start();
    s = await replicator.pushNow();
    expect(s.lastError).toBeUndefined();
    expect(s.rowsBehind).toBe(0);

    const remote = await pullReplica(join(dir, "reader.db"), server.url);
    const local = await dumpJournal(journal);
    expect(remote.orders!.map((r) => r.client_id)).toEqual(local.orders!.map((r) => r.client_id));
    expect(new Set(remote.orders!.map((r) => r.client_id)).size).toBe(150);
    expect(remote).toEqual(local);
  });

  it("resumes after a restart from its persisted cursor: a new Replicator on the same files pushes only what is new and converges", async () => {
    server = await startSyncServer(join(dir, "server.db"));
    journal = await openJournal({ path: join(dir, "orders.db") });
    replicator = makeReplicator(journal, server.url);
    for (let i = 1; i <= 20; i++) await writeOrder(journal, i);
    await replicator.pushNow();
    const pushed = replicator.state().lastPushedSeq;
    await replicator.stop();

    for (let i = 21; i <= 40; i++) await writeOrder(journal, i);
    replicator = makeReplicator(journal, server.url);
    await replicator.copyNow();
    // The restarted replicator knew where it stopped: it copied from there, not from zero.
    expect(replicator.state().lastPushedSeq).toBe(pushed);
    const s = await replicator.pushNow();
    expect(s.rowsBehind).toBe(0);
    expect(await pullReplica(join(dir, "reader.db"), server.url)).toEqual(await dumpJournal(journal));
  });

  it("start() pushes on its own schedule and stop() makes a final push", async () => {
    server = await startSyncServer(join(dir, "server.db"));
    journal = await openJournal({ path: join(dir, "orders.db") });
    replicator = new Replicator({ journal, url: server.url, authToken: "t", path: join(dir, "r.db"), intervalSec: 0.1 });
    replicator.start();
    for (let i = 1; i <= 10; i++) await writeOrder(journal, i);
    const head = await journal.feed.head();
    const scheduled = replicator;
    await waitUntil(() => scheduled.state().lastPushedSeq >= head, {
      timeoutMs: 10_000, intervalMs: 25, message: () => `the scheduled pushes did not reach seq ${head}: ${JSON.stringify(scheduled.state())}`,
    });
    expect(replicator.state().lastPushedSeq).toBe(head);
    await writeOrder(journal, 11);
    await replicator.stop();
    const remote = await pullReplica(join(dir, "reader.db"), server.url);
    expect(remote.orders!.map((r) => r.client_id)).toContain("sk-sig-11");
  });

  it("is disabled without a URL and reports so", async () => {
    journal = await openJournal({ path: join(dir, "orders.db") });
    replicator = new Replicator({ journal, path: join(dir, "r.db"), intervalSec: 5 });
    replicator.start();
    expect(await replicator.pushNow()).toEqual({ enabled: false, rowsBehind: 0, lastPushedSeq: 0, copiedSeq: 0 });
  });
});
