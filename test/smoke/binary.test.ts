// The product is one file. Copied alone into an empty directory and run with a clean environment
// (no node, deno, bun or node_modules reachable), the binary must start, answer /health, use its
// embedded native libSQL and Turso sync drivers, and stop cleanly on SIGTERM.
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Agent, startAgent, waitForHealthOk } from "./agent-process.ts";
import { cleanEnv, ensureBinary, isolateBinary } from "./binary.ts";
import { waitUntil } from "../helpers/wait.ts";

describe("the compiled binary, alone in an empty directory", () => {
  let dir = "";
  let exe = "";
  let agent: Agent | undefined;

  beforeAll(() => {
    ({ dir, exe } = isolateBinary(ensureBinary()));
  }, 300_000);

  afterAll(async () => {
    await agent?.stop("SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sekisho = (args: string[], extra: Record<string, string> = {}) =>
    execFileSync(exe, args, { cwd: dir, env: cleanEnv(dir, extra), encoding: "utf8", timeout: 60_000 });

  it("is the only file in its directory before it first runs", () => {
    expect(readdirSync(dir)).toEqual(["sekisho"]);
  });

  it("prints its version and says it runs on its embedded Bun", () => {
    expect(sekisho(["version"])).toMatch(/^sekisho \d+\.\d+\.\d+\S* \(bun \d+\.\d+\.\d+\)\n$/);
  });

  it("lists every command in --help", () => {
    const help = sekisho(["--help"]);
    for (const cmd of ["run", "sim", "size", "orders", "check", "version", "doctor"]) {
      expect(help).toMatch(new RegExp(`^\\s+${cmd}\\b`, "m"));
    }
  });

  it("checks its configuration: paper mode without credentials", () => {
    const out = JSON.parse(sekisho(["check"])) as { ok: boolean; mode: string };
    expect(out).toMatchObject({ ok: true, mode: "paper" });
  });

  it("opens, writes and reads libSQL and Turso sync databases and its order journal through its embedded native drivers", () => {
    const out = JSON.parse(sekisho(["doctor", "--dir", dir])) as Record<string, { ok: boolean; detail: string }>;
    expect(out["libsql"]).toMatchObject({ ok: true });
    expect(out["tursoSync"]).toMatchObject({ ok: true });
    expect(out["journal"]).toMatchObject({ ok: true });
    expect(out["ok"]).toBe(true);
    // The scratch databases are removed afterwards. What stays is the binary's copy of each
    // embedded addon in $TMPDIR (here the same directory), kept for the next start to reuse.
    expect(readdirSync(dir).filter((f) => !/^\.sekisho-(libsql|turso-sync)-[0-9a-f]{16}\.node$/.test(f))).toEqual(["sekisho"]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".node")).length).toBe(2);
  });

  it("runs: answers /health with status ok, lets start-up's mapped code go once started, then exits 0 on SIGTERM", async () => {
    agent = await startAgent(exe, ["run"], {
      cwd: dir,
      env: cleanEnv(dir, { HTTP_PORT: "0", DB_PATH: join(dir, "data", "orders.db"), LOG_LEVEL: "debug" }),
      timeoutMs: 30_000,
    });
    const health = await waitForHealthOk(agent.url, 30_000);
    expect(health.status).toBe(200);
    expect(health.body["status"]).toBe("ok");
    // Resident memory: the pages only start-up ran are dropped after the first health checks
    // have been answered (a supervisor's probe must not wait on it), and some were dropped.
    const released = () => /"event":"startup_memory_released"[^\n]*"residentMb":([0-9.]+)/.exec(agent!.output());
    await waitUntil(() => released() !== null, { timeoutMs: 15_000, intervalMs: 100, message: () => `no startup_memory_released line:\n${agent!.output()}` });
    expect(Number(released()![1])).toBeGreaterThan(0);
    const code = await agent.stop("SIGTERM");
    expect(code, agent.output()).toBe(0);
    agent = undefined;
  }, 90_000);
});
