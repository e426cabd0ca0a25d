// The agent killed (SIGKILL) between journal writes and a push, then restarted: the replica
// converges on the journal, nothing lost and nothing doubled. The "agent" is a Deno child process.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { Replicator } from "../../src/replica/replicator.ts";
import { openJournal } from "../../src/store/index.ts";
import { dumpJournal, pullReplica } from "./helpers.ts";
import { startSyncServer, type SyncServer } from "./sync-server.ts";

const require = createRequire(import.meta.url);
const denoBin = resolve(require.resolve("deno/package.json"), "..", "deno");

let dir: string;
let server: SyncServer | undefined;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "sekisho-kill-")); });
afterEach(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function runChildUntilReady(args: string[]): Promise<{ state: { lastPushAt?: string; copiedSeq: number }; kill: () => Promise<number | null> }> {
  const child = spawn(denoBin, ["run", "-A", "test/replica/fixtures/agent-child.ts", ...args], { cwd: resolve(__dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  return new Promise((resolveReady, reject) => {
    child.stderr.on("data", (d) => { err += String(d); });
    child.stdout.on("data", (d) => {
      out += String(d);
      const m = /ready (\{.*\})/.exec(out);
      if (m) {
        resolveReady({
          state: JSON.parse(m[1]!),
          kill: () => new Promise((r) => { child.once("exit", (code) => r(code)); child.kill("SIGKILL"); }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`child exited early (${code}): ${err.slice(-2000)}`)));
  });
}

it("an agent SIGKILLed after journaling but before pushing is caught up by the restarted agent", async () => {
  server = await startSyncServer(join(dir, "server.db"));
  const journalPath = join(dir, "orders.db");
  const replicaPath = join(dir, "orders.replica.db");
  const child = await runChildUntilReady([journalPath, replicaPath, server.url, "120"]);
  // Half the orders were copied into the replica file, none was pushed.
  expect(child.state.lastPushAt).toBeUndefined();
  expect(child.state.copiedSeq).toBeGreaterThan(0);
  expect(await child.kill()).toBeNull(); // killed by the signal, no clean shutdown

  const journal = await openJournal({ path: journalPath });
  const replicator = new Replicator({ journal, url: server.url, authToken: "any-token", path: replicaPath, intervalSec: 3600 });
  try {
    const s = await replicator.pushNow();
    expect(s.lastError).toBeUndefined();
    expect(s.rowsBehind).toBe(0);
    const local = await dumpJournal(journal);
    expect(local.orders).toHaveLength(120);
    expect(await pullReplica(join(dir, "reader.db"), server.url)).toEqual(local);
  } finally {
    await replicator.stop();
    await journal.close();
  }
}, 120_000);
