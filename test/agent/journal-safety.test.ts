// Finding 7 of issue 10, end to end: the agent (under Deno, as users run it) refuses to start on a
// corrupt or read-only journal with exit 1 and one line; after a clean SIGTERM the database file
// alone holds every row (no data left in -wal) and every order carries the account and mode;
// /health proves the journal writable by writing, so a journal that stops taking writes is "down".
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/log.ts";
import { startAgent as startInProcess } from "../../src/agent/agent.ts";
import { createApiDeps } from "../../src/agent/api.ts";
import { createApp } from "../../src/http/app.ts";
import { parseScenario } from "../../src/sim/index.ts";
import { serveHttp } from "../../src/runtime/runtime.ts";
import { openJournal } from "../../src/store/index.ts";
import { inspectJournalFile } from "../../src/store/integrity.ts";
import { runSekisho } from "../cli/cli-process.ts";
import { makeReadOnly, undoReadOnly } from "../helpers/read-only.ts";
import { writeOrder } from "../replica/helpers.ts";
import { startAgent as startChild } from "../smoke/agent-process.ts";
import { ROOT } from "../smoke/binary.ts";
import { delay } from "../helpers/wait.ts";

const dirs: string[] = [];
const guarded: string[] = [];
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "sekisho-jsafe-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const f of guarded) undoReadOnly(f);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function journalWithOrders(path: string, n: number): Promise<void> {
  const j = await openJournal({ path, owner: true });
  for (let i = 1; i <= n; i++) await writeOrder(j, i);
  await j.close();
}

const TOKEN = "journal-safety-token-0123456789";

describe("start-up refuses a journal it cannot trust", () => {
  it("4 KiB of garbage in the file: exit 1, one line naming the file", async () => {
    const dir = scratch();
    const path = join(dir, "orders.db");
    await journalWithOrders(path, 150);
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 4096);
    closeSync(fd);
    const r = await runSekisho(["run", "--paper"], { env: { DB_PATH: path, HTTP_PORT: "0", LOG_LEVEL: "silent" } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^sekisho: could not start: the journal at ${path} is corrupt`))]);
  }, 90_000);

  it("a journal that does not take writes: exit 1, one line", async (ctx) => {
    const dir = scratch();
    const path = join(dir, "orders.db");
    await journalWithOrders(path, 3);
    if (!makeReadOnly(path)) ctx.skip();
    guarded.push(path);
    const r = await runSekisho(["run", "--paper"], { env: { DB_PATH: path, HTTP_PORT: "0", LOG_LEVEL: "silent" } });
    undoReadOnly(path);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^sekisho: could not start: the journal at ${path} is not writable`))]);
  }, 90_000);
});

describe("a clean stop", () => {
  it("after SIGTERM orders.db alone holds the orders, each with the account and the mode", async () => {
    const dir = scratch();
    const path = join(dir, "data", "orders.db");
    const env: Record<string, string> = {
      HOME: process.env["HOME"] ?? dir, PATH: "", HTTP_PORT: "0", DB_PATH: path, NO_COLOR: "1", LOG_LEVEL: "warn", CONTROL_TOKEN: TOKEN,
      FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0",
    };
    if (process.env["DENO_DIR"]) env["DENO_DIR"] = process.env["DENO_DIR"];
    const agent = await startChild(join(ROOT, "node_modules", ".bin", "deno"), ["run", "-A", "--config", join(ROOT, "deno.json"), join(ROOT, "src", "main.ts"), "run"], { cwd: dir, env, timeoutMs: 90_000 });
    try {
      for (const id of ["a", "b", "c"]) {
        const res = await fetch(`${agent.url}/control/signal`, {
          method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify({ id, instrument: "USD_JPY", side: "buy", units: 1000 }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
      }
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    } finally {
      expect(await agent.stop("SIGTERM"), agent.output()).toBe(0);
    }
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);
    const alone = join(scratch(), "copy.db");
    copyFileSync(path, alone);
    expect(await inspectJournalFile(alone)).toEqual({ problems: [], orders: 3 });
    const copy = await openJournal({ path: alone });
    const rows = (await copy.orders.list({ limit: 10 })).rows;
    await copy.close();
    expect(rows.map((r) => r.mode)).toEqual(["paper", "paper", "paper"]);
    expect(new Set(rows.map((r) => r.accountId)).size).toBe(1);
    expect(rows[0]!.accountId).toMatch(/\S/);
  }, 150_000);
});

describe("/health proves the journal writable", () => {
  it("is down with writable=false once the journal stops taking writes, and ok again after", async (ctx) => {
    const dir = scratch();
    const path = join(dir, "orders.db");
    const { config } = parseConfig({ DB_PATH: path, LOG_LEVEL: "silent", FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0" });
    const agent = await startInProcess({ config, mode: "paper", log: silentLogger, simScenario: parseScenario({ ticks: { source: "fixed" } }) });
    const server = await serveHttp(createApp(createApiDeps(agent), { requireTokenEverywhere: false, bodyLimitBytes: 65536 }).fetch, { hostname: "127.0.0.1", port: 0 });
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${server.port}/health`);
      return { code: res.status, body: (await res.json()) as { status: string; checks: { journal: { status: string; writable: boolean; lastError: string | null } } } };
    };
    // Not -shm: it is memory-mapped, and an immutable mapped file kills the process with SIGBUS.
    const files = [path, `${path}-wal`];
    try {
      const before = await health();
      expect(before.body.checks.journal).toMatchObject({ status: "ok", writable: true });
      // Immutable: every write fails, reads still work (what a read-only remount does).
      for (const f of files) {
        if (!makeReadOnly(f)) ctx.skip();
        guarded.push(f);
      }
      await delay(1100); // past the probe's one-second memory
      const broken = await health();
      expect(broken.code).toBe(503);
      expect(broken.body.status).toBe("down");
      expect(broken.body.checks.journal.status).toBe("down");
      expect(broken.body.checks.journal.writable).toBe(false);
      expect(broken.body.checks.journal.lastError).toMatch(/\S/);
      for (const f of files) undoReadOnly(f);
      await delay(1100);
      expect((await health()).body.checks.journal).toMatchObject({ status: "ok", writable: true });
    } finally {
      for (const f of files) undoReadOnly(f);
      await server.close();
      await agent.stop();
    }
  }, 60_000);
});
