// `sekisho trades` and `sekisho pnl`, local and remote (the Turso replica through a real
// `turso --sync-server`): the same filters give the same answers; table, JSON and CSV; a journal
// with two accounts needs --account (paper never mixes with real money); bad options are exit 2
// with one line; a large listing reaches a slow pipe whole under Deno.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./in-process.ts";
import type { OandaTransaction } from "../../src/ledger/index.ts";
import { Replicator } from "../../src/replica/replicator.ts";
import { type LedgerTransaction, openJournal } from "../../src/store/index.ts";
import { startSyncServer, type SyncServer } from "../replica/sync-server.ts";
import { ROOT } from "../smoke/binary.ts";

let dir: string;
let server: SyncServer;
let dbPath: string;
let bigPath: string;
const LIVE = "001-011-5555555-001";
const PAPER = "SIM-PAPER-001";

/** A round trip: open `units` at `open`, close at `close` (P/L = diff x units, in JPY), by `reason`. */
function roundTrip(id: number, day: string, units: number, open: number, close: number, reason: string, clientId?: string): OandaTransaction[] {
  const pl = ((close - open) * units).toFixed(4);
  return [
    { id: String(id), type: "ORDER_FILL", time: `${day}T01:00:00.000000000Z`, orderID: String(id - 1), ...(clientId ? { clientOrderID: clientId } : {}), instrument: "USD_JPY",
      units: String(units), price: String(open), reason: "MARKET_ORDER", pl: "0.0000", financing: "0.0000", tradeOpened: { tradeID: String(id), units: String(units), price: String(open) } },
    { id: String(id + 2), type: "ORDER_FILL", time: `${day}T02:00:00.000000000Z`, orderID: String(id + 1), instrument: "USD_JPY", units: String(-units), price: String(close),
      reason, pl, financing: "-1.5000", tradesClosed: [{ tradeID: String(id), units: String(-units), price: String(close), realizedPL: pl, financing: "-1.5000" }] },
  ];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-ledger-cli-"));
  server = await startSyncServer(join(dir, "server.db"));
  dbPath = join(dir, "orders.db");
  // One journal, two accounts: a live one (sekisho's and a manual trade) and a paper one.
  const live = await openJournal({ path: dbPath, scope: { accountId: LIVE, mode: "live" } });
  await live.orders.insertIntent({ clientId: "sk-live-1", signalId: "live-1", worker: "micro_multistrat", strategy: "range_break", pocket: "micro", instrument: "USD_JPY", side: "buy", requestedUnits: 1000, reduceOnly: false, positionFill: "OPEN_ONLY" });
  await live.transactions.append(LIVE, [
    ...roundTrip(100, "2026-03-02", 1000, 150, 151, "TAKE_PROFIT_ORDER", "sk-live-1"),
    ...roundTrip(110, "2026-03-03", -2000, 150, 150.5, "STOP_LOSS_ORDER"),
  ] as LedgerTransaction[]);
  await live.close();
  const paper = await openJournal({ path: dbPath, scope: { accountId: PAPER, mode: "paper" } });
  await paper.transactions.append(PAPER, roundTrip(5, "2026-03-02", 50_000, 150, 160, "TAKE_PROFIT_ORDER") as LedgerTransaction[]);
  const replicator = new Replicator({ journal: paper, url: server.url, authToken: "t", path: join(dir, "orders.replica.db"), intervalSec: 3600 });
  expect((await replicator.pushNow()).lastError).toBeUndefined();
  await replicator.stop();
  await paper.close();

  // A big ledger for the pipe test: 3,000 round trips.
  bigPath = join(dir, "big.db");
  const big = await openJournal({ path: bigPath, scope: { accountId: LIVE, mode: "live" } });
  const txs: OandaTransaction[] = [];
  for (let i = 0; i < 3000; i++) txs.push(...roundTrip(1000 + i * 3, "2026-03-02", 1000 + i, 150, 150.1, "TAKE_PROFIT_ORDER"));
  await big.transactions.append(LIVE, txs as LedgerTransaction[]);
  await big.close();
}, 120_000);

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const remote = () => ["--remote", server.url, "--token", "t", "--cache", join(dir, "cache.db")];

describe("sekisho trades", () => {
  it("a journal with two accounts: without --account or --mode it refuses (exit 2), naming them", async () => {
    const r = await cli(["trades", "--db", dbPath]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`sekisho: the journal holds 2 accounts (${LIVE}, ${PAPER}); choose one with --account\n`);
  });

  it.each([[["--mode", "live"]], [["--account", LIVE]], [["--mode", "live", "--reason", "stop_loss"]], [["--mode", "paper"]]])("local and remote agree for %j", async (filter) => {
    const local = await cli(["trades", "--db", dbPath, "--json", ...filter]);
    const far = await cli(["trades", ...remote(), "--json", ...filter]);
    expect(local.code, local.err).toBe(0);
    expect(far.code, far.err).toBe(0);
    expect(JSON.parse(far.out)).toEqual(JSON.parse(local.out));
    const trades = JSON.parse(local.out) as { id: string; closeReason: string; pocket: string; realizedPL: number; financing: number }[];
    if (filter.includes("paper")) expect(trades.map((t) => [t.id, t.realizedPL])).toEqual([["5", 500_000]]);
    else if (filter.includes("stop_loss")) expect(trades.map((t) => t.id)).toEqual(["110"]);
    else {
      expect(trades.map((t) => [t.id, t.closeReason, t.pocket, t.realizedPL, t.financing])).toEqual([
        ["110", "stop_loss", "manual", -1000, -1.5],
        ["100", "take_profit", "micro", 1000, -1.5],
      ]);
    }
  });

  it("prints a table and CSV", async () => {
    const table = await cli(["trades", "--db", dbPath, "--mode", "live"]);
    expect(table.out.split("\n")[0]).toMatch(/^\s*ID\s+OPENED \(UTC\)\s+INSTRUMENT\s+SIDE\s+UNITS\s+OPEN\s+CLOSED \(UTC\)\s+CLOSE\s+REASON\s+POCKET\s+STRATEGY\s+REALIZED\s+FINANCING\s+NET$/);
    expect(table.out).toMatch(/100\s+2026-03-02 01:00:00\s+USD_JPY\s+buy\s+1000\s+150\s+2026-03-02 02:00:00\s+151\s+take_profit\s+micro\s+range_break\s+1,000\s+-1.5\s+998.5/);
    const c = await cli(["trades", "--db", dbPath, "--mode", "live", "--csv"]);
    const lines = c.out.split("\r\n");
    expect(lines[0]!.startsWith("id,instrument,side,units,")).toBe(true);
    expect(lines).toHaveLength(4);
  });

  it("bad options are exit 2 with one line", async () => {
    for (const [args, msg] of [
      [["--state", "half"], "--state must be open or closed (got half)"],
      [["--reason", "luck"], "--reason must be one of take_profit, stop_loss, margin_closeout, reduce_only, flatten, balancer, manual, other (got luck)"],
      [["--mode", "demo"], "--mode must be one of paper, practice, live (got demo)"],
      [["--since", "last week"], "--since must be an ISO-8601 time such as 2026-03-02T09:00:00Z (got last week)"],
      [["--account", "101-001-9-001"], `no transactions of account 101-001-9-001 in this journal (it has ${LIVE}, ${PAPER})`],
    ] as const) {
      const r = await cli(["trades", "--db", dbPath, ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`sekisho: ${msg}\n`);
    }
  });
});

describe("sekisho pnl", () => {
  it("by day, local and remote alike; realized + financing per OANDA trading day", async () => {
    const local = await cli(["pnl", "--db", dbPath, "--mode", "live", "--json"]);
    const far = await cli(["pnl", ...remote(), "--mode", "live", "--json"]);
    expect(local.code, local.err).toBe(0);
    expect(JSON.parse(far.out)).toEqual(JSON.parse(local.out));
    const r = JSON.parse(local.out);
    expect(r.accountId).toBe(LIVE);
    expect(r.rows.map((x: { key: string; realized: number; financing: number; trades: number }) => [x.key, x.realized, x.financing, x.trades])).toEqual([
      ["2026-03-02", 1000, -1.5, 1],
      ["2026-03-03", -1000, -1.5, 1],
    ]);
    expect(r.total).toMatchObject({ realized: 0, financing: -3, net: -3, trades: 2, wins: 1, losses: 1, winRate: 0.5 });
  });

  it("by pocket as a table and CSV; --by is checked", async () => {
    const t = await cli(["pnl", "--db", dbPath, "--mode", "live", "--by", "pocket"]);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^POCKET\s+REALIZED\s+FINANCING\s+FEES\s+NET\s+UNREALIZED\s+TRADES\s+WIN%\s+PF\s+MAX DD\n/);
    expect(t.out).toMatch(/\nmanual\s+-1,000\s+-1.5\s+0\s+-1,001.5\s+-\s+1\s+0%\s+0.00\s+1,001.5\n/);
    expect(t.out).toMatch(/\ntotal\s+0\s+-3\s+0\s+-3\s/);
    const c = await cli(["pnl", "--db", dbPath, "--mode", "live", "--by", "pocket", "--csv"]);
    expect(c.out.split("\r\n")[0]).toBe("key,realized,financing,fees,net,unrealized,trades,wins,losses,winRate,profitFactor,maxDrawdown");
    const bad = await cli(["pnl", "--db", dbPath, "--by", "week"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("sekisho: --by must be one of day, pocket, strategy, instrument (got week)\n");
    const badTime = await cli(["pnl", "--db", dbPath, "--mode", "live", "--to", "2026-13-01"]);
    expect(badTime).toMatchObject({ code: 2, err: "sekisho: --to must be an ISO-8601 time such as 2026-03-02T09:00:00Z (got 2026-13-01)\n" });
  });
});

describe("a large listing through a pipe (Deno)", () => {
  it("trades --json with 3,000 trades arrives whole to a reader that waits", async () => {
    const args = ["run", "-A", `--config=${join(ROOT, "deno.json")}`, join(ROOT, "src", "main.ts"), "trades", "--db", bigPath, "--json", "--limit", "10000"];
    const r = await new Promise<{ code: number | null; out: Buffer; err: string }>((resolve, reject) => {
      const child = spawn(join(ROOT, "node_modules", ".bin", "deno"), args, { cwd: dir, env: { HOME: process.env["HOME"] ?? dir, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      const chunks: Buffer[] = [];
      let err = "";
      child.stdout.pause();
      setTimeout(() => { child.stdout.on("data", (c: Buffer) => chunks.push(c)); child.stdout.resume(); }, 1500);
      child.stderr.on("data", (c: Buffer) => { err += String(c); });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, out: Buffer.concat(chunks), err }));
    });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.length).toBeGreaterThan(1_000_000);
    expect(JSON.parse(r.out.toString("utf8"))).toHaveLength(3000);
  }, 90_000);
});
