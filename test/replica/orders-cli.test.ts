// `sekisho orders`, local and remote: the same filters give the same rows; bad URLs and tokens
// give one clear line and exit code, never a stack trace.
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../cli/in-process.ts";
import { Replicator } from "../../src/replica/replicator.ts";
import { openJournal } from "../../src/store/index.ts";
import { writeOrder } from "./helpers.ts";
import { freePort, startSyncServer, type SyncServer } from "./sync-server.ts";

let dir: string;
let server: SyncServer;
let dbPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-orders-cli-"));
  server = await startSyncServer(join(dir, "server.db"));
  dbPath = join(dir, "orders.db");
  let now = Date.parse("2026-03-02T00:00:00Z");
  const journal = await openJournal({ path: dbPath, clock: { now: () => now } });
  for (let i = 1; i <= 60; i++) {
    now += 60_000;
    await writeOrder(journal, i);
  }
  const replicator = new Replicator({ journal, url: server.url, authToken: "t", path: join(dir, "orders.replica.db"), intervalSec: 3600 });
  expect((await replicator.pushNow()).lastError).toBeUndefined();
  await replicator.stop();
  await journal.close();
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const FILTERS: string[][] = [
  [],
  ["--status", "filled"],
  ["--instrument", "usd_jpy", "--limit", "7"],
  ["--since", "2026-03-02T00:30:00Z", "--status", "intent"],
  ["--limit", "1000"],
];

describe("sekisho orders", () => {
  it.each(FILTERS)("local and remote give the same rows for %j", async (...filter) => {
    const local = await cli(["orders", "--db", dbPath, "--json", ...filter]);
    const remote = await cli(["orders", "--remote", server.url, "--token", "t", "--cache", join(dir, "cache.db"), "--json", ...filter]);
    expect(local.code).toBe(0);
    expect(remote.code).toBe(0);
    expect(remote.err).toBe("");
    const rows = JSON.parse(local.out) as { status: string; instrument: string; intentAt: string; clientId: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.parse(remote.out)).toEqual(rows);
    // ...and the rows are the ones the filter asked for.
    if (filter.includes("filled")) expect(rows.every((r) => r.status === "filled")).toBe(true);
    if (filter.includes("usd_jpy")) expect(rows.map((r) => r.instrument)).toEqual(Array(7).fill("USD_JPY"));
    if (filter.includes("intent")) {
      expect(rows.every((r) => r.status === "intent" && r.intentAt >= "2026-03-02T00:30:00.000Z")).toBe(true);
      expect(rows.map((r) => r.clientId)).toEqual(["sk-sig-56", "sk-sig-49", "sk-sig-42", "sk-sig-35"]);
    }
    if (filter.includes("1000")) expect(rows).toHaveLength(60);
    if (filter.length === 0) expect(rows).toHaveLength(50); // the default limit
  });

  it("prints CSV with a header and one line per order, and a readable table", async () => {
    const csv = await cli(["orders", "--db", dbPath, "--csv", "--limit", "3"]);
    const lines = csv.out.trimEnd().split("\r\n");
    expect(lines[0]!.startsWith("id,clientId,signalId,worker,strategy,pocket,instrument,side,requestedUnits")).toBe(true);
    expect(lines[0]!.endsWith(",updatedAt,accountId,mode")).toBe(true);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("sk-sig-60");
    // request JSON contains commas and quotes, so it is quoted and its quotes doubled.
    expect(lines[1]).toContain('"{""order"":{""units"":""1060""');
    const table = await cli(["orders", "--db", dbPath, "--status", "rejected"]);
    expect(table.out.split("\n")[0]).toMatch(/^\s*ID\s+INTENT AT \(UTC\)\s+CLIENT ID\s+INSTRUMENT\s+SIDE\s+UNITS/);
    expect(table.out).toContain("sk-sig-26");
    expect(table.out).toContain("INSUFFICIENT_MARGIN");
  });

  it("rejects bad options with exit 2 and one line", async () => {
    const cases = [
      ["--db", dbPath, "--status", "done"],
      ["--db", dbPath, "--since", "last tuesday"],
      ["--db", dbPath, "--limit", "0"],
      ["--db", dbPath, "--json", "--csv"],
      ["--db", dbPath, "--remote", server.url],
    ];
    for (const args of cases) {
      const r = await cli(["orders", ...args]);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
    const missing = await cli(["orders", "--db", join(dir, "nope", "orders.db")]);
    expect(missing).toMatchObject({ code: 2, out: "" });
    expect(missing.err).toMatch(/^sekisho: no journal at .*nope/);
  });

  it("a malformed URL, an unreachable server and a rejected token each give one clear line, no stack trace", async () => {
    const bad = await cli(["orders", "--remote", "not a url", "--token", "t", "--cache", join(dir, "c1.db")]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^sekisho: --remote must be a Turso database URL/);

    const port = await freePort();
    const down = await cli(["orders", "--remote", `http://127.0.0.1:${port}`, "--token", "t", "--cache", join(dir, "c2.db")]);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/^sekisho: cannot reach Turso at http:\/\/127\.0\.0\.1:\d+\/?: /);
    expect(down.err.trim().split("\n")).toHaveLength(1);

    // Turso Cloud answers a wrong token with 401; the local sync server checks no token at all.
    const denying: Server = createServer((_req, res) => { res.writeHead(401, { "content-type": "text/plain" }); res.end("Unauthorized"); });
    await new Promise<void>((r) => denying.listen(0, "127.0.0.1", () => r()));
    const addr = denying.address();
    try {
      const secret = "very-secret-token";
      const r = await cli(["orders", "--remote", `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`, "--token", secret, "--cache", join(dir, "c3.db")]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^sekisho: Turso at .* rejected the token/);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).not.toContain(secret);
    } finally {
      await new Promise((r) => denying.close(r));
    }
  });
});
