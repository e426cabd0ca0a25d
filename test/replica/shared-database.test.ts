// One Turso database for many agents: two journals (two agents, each numbering its rows from 1)
// replicate into one real `turso --sync-server`; no row is lost or overwritten, `orders`, `trades`
// and `pnl --remote` pick an agent by account and mode, `orders` lists them by time, a replica made
// by the previous release (keyed by row id alone) is converted in place, and one made before a
// migration added columns gains them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cli } from "../cli/in-process.ts";
import type { OandaTransaction } from "../../src/ledger/index.ts";
import { openDeferredReplica } from "../../src/replica/replica-db.ts";
import { Replicator } from "../../src/replica/replicator.ts";
import { type Journal, type LedgerTransaction, openJournal } from "../../src/store/index.ts";
import { createStateTableSql, createTableSql, writeStateSql } from "../../src/store/replica-sql.ts";
import { REPLICATED_TABLES } from "../../src/store/tables.ts";
import { dumpJournal, journalRows, pullReplicaRows, writeOrder } from "./helpers.ts";
import { startSyncServer, type SyncServer } from "./sync-server.ts";

const PRACTICE = "101-009-1111111-001";
const PAPER = "SIM-PAPER-001";

let dir: string;
let server: SyncServer | undefined;
const open: { journal: Journal; replicator?: Replicator }[] = [];

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "sekisho-shared-replica-")); });
afterEach(async () => {
  for (const a of open.splice(0)) {
    await a.replicator?.stop().catch(() => {});
    await a.journal.close();
  }
  await server?.stop();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function agent(name: string, scope: { accountId: string; mode: "paper" | "practice" }, url: string, clock?: { now(): number }) {
  const journal = await openJournal({ path: join(dir, `${name}.db`), scope, clock });
  const replicator = new Replicator({ journal, url, authToken: "t", path: join(dir, `${name}.replica.db`), intervalSec: 3600, requestTimeoutMs: 5000 });
  const a = { journal, replicator, journalId: await journal.feed.journalId() };
  open.push(a);
  return a;
}

/** A buy filled then closed by take profit: OANDA's two ORDER_FILL transactions. */
function roundTrip(id: number, units: number, open: number, close: number, clientId: string): OandaTransaction[] {
  const pl = ((close - open) * units).toFixed(4);
  return [
    { id: String(id), type: "ORDER_FILL", time: "2026-03-02T01:00:00.000000000Z", orderID: String(id - 1), clientOrderID: clientId, instrument: "USD_JPY",
      units: String(units), price: String(open), reason: "MARKET_ORDER", pl: "0.0000", financing: "0.0000", tradeOpened: { tradeID: String(id), units: String(units), price: String(open) } },
    { id: String(id + 2), type: "ORDER_FILL", time: "2026-03-02T02:00:00.000000000Z", orderID: String(id + 1), instrument: "USD_JPY", units: String(-units), price: String(close),
      reason: "TAKE_PROFIT_ORDER", pl, financing: "0.0000", tradesClosed: [{ tradeID: String(id), units: String(-units), price: String(close), realizedPL: pl, financing: "0.0000" }] },
  ];
}

describe("one Turso database shared by two agents", () => {
  it("keeps every row of both journals, though their row ids are the same numbers, through updates and repeated pushes", async () => {
    server = await startSyncServer(join(dir, "server.db"));
    const a = await agent("a", { accountId: PRACTICE, mode: "practice" }, server.url);
    const b = await agent("b", { accountId: PAPER, mode: "paper" }, server.url);
    expect(a.journalId).not.toBe(b.journalId);
    for (let i = 1; i <= 40; i++) await writeOrder(a.journal, i, "a");
    for (let i = 1; i <= 30; i++) await writeOrder(b.journal, i, "b");
    await a.journal.transactions.append(PRACTICE, roundTrip(100, 1000, 150, 151, "sk-a-1") as LedgerTransaction[]);
    await b.journal.transactions.append(PAPER, roundTrip(100, 50_000, 150, 149, "sk-b-1") as LedgerTransaction[]);
    expect((await a.replicator.pushNow()).lastError).toBeUndefined();
    expect((await b.replicator.pushNow()).lastError).toBeUndefined();

    // Both move on: the same local row ids change on both sides, and each pushes again.
    await a.journal.orders.advance("sk-a-7", "cancelled", { cancelReason: "MARKET_HALTED" });
    await b.journal.orders.advance("sk-b-7", "rejected", { rejectReason: "INSUFFICIENT_MARGIN" });
    for (let i = 41; i <= 45; i++) await writeOrder(a.journal, i, "a");
    expect((await b.replicator.pushNow()).lastError).toBeUndefined();
    expect((await a.replicator.pushNow()).lastError).toBeUndefined();

    const remote = await pullReplicaRows(join(dir, "reader.db"), server.url);
    expect(remote.orders).toHaveLength(45 + 30);
    expect(journalRows(remote, a.journalId)).toEqual(await dumpJournal(a.journal));
    expect(journalRows(remote, b.journalId)).toEqual(await dumpJournal(b.journal));
    // The transaction with OANDA id 100 exists once per agent's account, not once in all.
    expect(remote.transactions!.filter((t) => t.id === 100).map((t) => t.account_id).sort()).toEqual([PAPER, PRACTICE].sort());
  });

  it("orders, trades and pnl --remote show one agent by --account or --mode, as its own journal does; an account's transactions count once", async () => {
    server = await startSyncServer(join(dir, "server.db"));
    const a = await agent("a", { accountId: PRACTICE, mode: "practice" }, server.url);
    const b = await agent("b", { accountId: PAPER, mode: "paper" }, server.url);
    for (let i = 1; i <= 12; i++) await writeOrder(a.journal, i, "a");
    for (let i = 1; i <= 9; i++) await writeOrder(b.journal, i, "b");
    await a.journal.transactions.append(PRACTICE, roundTrip(100, 1000, 150, 151, "sk-a-1") as LedgerTransaction[]);
    await b.journal.transactions.append(PAPER, roundTrip(100, 50_000, 150, 149, "sk-b-1") as LedgerTransaction[]);
    // A second agent on the same practice account records the same broker transactions.
    const c = await agent("c", { accountId: PRACTICE, mode: "practice" }, server.url);
    await c.journal.transactions.append(PRACTICE, roundTrip(100, 1000, 150, 151, "sk-a-1") as LedgerTransaction[]);
    for (const x of [a, b, c]) expect((await x.replicator.pushNow()).lastError).toBeUndefined();
    const remote = ["--remote", server.url, "--token", "t", "--cache", join(dir, "cache.db")];

    const ids = async (args: string[]) => {
      const r = await cli(["orders", ...args, "--json", "--limit", "1000"]);
      expect(r.code).toBe(0);
      return (JSON.parse(r.out) as { clientId: string }[]).map((o) => o.clientId).sort();
    };
    const local = async (name: string) => ids(["--db", join(dir, `${name}.db`)]);
    expect(await ids([...remote, "--account", PRACTICE])).toEqual(await local("a"));
    expect(await ids([...remote, "--mode", "paper"])).toEqual(await local("b"));
    expect(await ids(remote)).toEqual([...(await local("a")), ...(await local("b"))].sort());
    // The text table names account and mode when the listing spans agents.
    const table = await cli(["orders", ...remote, "--limit", "1000"]);
    expect(table.out.split("\n")[0]).toMatch(/ACCOUNT\s+MODE/);
    expect(table.out).toContain(PAPER);

    for (const [name, scope] of [["a", ["--account", PRACTICE]], ["b", ["--mode", "paper"]]] as const) {
      const here = await cli(["trades", "--db", join(dir, `${name}.db`), "--json"]);
      const there = await cli(["trades", ...remote, ...scope, "--json"]);
      expect(there.code).toBe(0);
      expect(JSON.parse(there.out)).toEqual(JSON.parse(here.out));
      const pnlHere = await cli(["pnl", "--db", join(dir, `${name}.db`), "--json"]);
      const pnlThere = await cli(["pnl", ...remote, ...scope, "--json"]);
      expect(JSON.parse(pnlThere.out)).toEqual(JSON.parse(pnlHere.out));
    }
    // Without a choice the figures of two accounts are never added together.
    const both = await cli(["pnl", ...remote]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/choose one with --account/);
  });

  it("orders --remote lists the agents' orders newest first by time, not interleaved by their local ids", async () => {
    server = await startSyncServer(join(dir, "server.db"));
    let now = Date.parse("2026-03-02T09:00:00.000Z");
    const clock = { now: () => now };
    const a = await agent("a", { accountId: PRACTICE, mode: "practice" }, server.url, clock);
    const b = await agent("b", { accountId: PAPER, mode: "paper" }, server.url, clock);
    // a writes its rows 1-3, then b its rows 1-3: by local id they would interleave (a3 b3 a2 b2 ...).
    for (let i = 1; i <= 3; i++) { now += 1000; await writeOrder(a.journal, i, "a"); }
    for (let i = 1; i <= 3; i++) { now += 1000; await writeOrder(b.journal, i, "b"); }
    now += 1000; // two of a's at one time: the higher id first
    await writeOrder(a.journal, 4, "a");
    await writeOrder(a.journal, 5, "a");
    for (const x of [a, b]) expect((await x.replicator.pushNow()).lastError).toBeUndefined();
    const listed = async (limit: number) => {
      const r = await cli(["orders", "--remote", server!.url, "--cache", join(dir, "cache.db"), "--json", "--limit", String(limit)]);
      expect(r.code).toBe(0);
      return (JSON.parse(r.out) as { clientId: string }[]).map((o) => o.clientId);
    };
    const newestFirst = ["sk-a-5", "sk-a-4", "sk-b-3", "sk-b-2", "sk-b-1", "sk-a-3", "sk-a-2", "sk-a-1"];
    expect(await listed(50)).toEqual(newestFirst);
    expect(await listed(3)).toEqual(newestFirst.slice(0, 3));
  });

  it("converts a replica the previous release made (keyed by row id alone) and then takes a second agent", async () => {
    server = await startSyncServer(join(dir, "server.db"));
    const a = await agent("a", { accountId: PRACTICE, mode: "practice" }, server.url);
    for (let i = 1; i <= 25; i++) await writeOrder(a.journal, i, "a");
    await legacyReplica(a.journal, join(dir, "a.replica.db"), server.url);
    const before = await pullReplicaRows(join(dir, "reader-old.db"), server.url);
    expect(before.orders).toHaveLength(25);
    expect(before.orders![0]).not.toHaveProperty("journal_id");

    for (let i = 26; i <= 30; i++) await writeOrder(a.journal, i, "a");
    expect((await a.replicator.pushNow()).lastError).toBeUndefined();
    const b = await agent("b", { accountId: PAPER, mode: "paper" }, server.url);
    for (let i = 1; i <= 10; i++) await writeOrder(b.journal, i, "b");
    expect((await b.replicator.pushNow()).lastError).toBeUndefined();

    const after = await pullReplicaRows(join(dir, "reader-new.db"), server.url);
    expect(after.orders).toHaveLength(40);
    expect(journalRows(after, a.journalId)).toEqual(await dumpJournal(a.journal));
    expect(journalRows(after, b.journalId)).toEqual(await dumpJournal(b.journal));
    // A reader whose cache holds the old layout follows the conversion on its next pull.
    expect((await pullReplicaRows(join(dir, "reader-old.db"), server.url)).orders).toHaveLength(40);
  });
  it("a replica made before a migration added columns gains them, and the rows arrive whole", async () => {
    server = await startSyncServer(join(dir, "server.db"));
    const a = await agent("a", { accountId: PRACTICE, mode: "practice" }, server.url);
    for (let i = 1; i <= 12; i++) await writeOrder(a.journal, i, "a");
    // The keyed layout, but its orders table without the scope columns (migration 003).
    const db = await openDeferredReplica({ path: join(dir, "a.replica.db"), url: server.url, clientName: "sekisho-agent" });
    try {
      for (const t of REPLICATED_TABLES) {
        const cols = (await a.journal.feed.columns(t)).filter((c) => t !== "orders" || (c.name !== "account_id" && c.name !== "mode"));
        await db.exec(createTableSql(t, cols));
      }
    } finally {
      await db.close();
    }
    expect((await a.replicator.pushNow()).lastError).toBeUndefined();
    const rows = await pullReplicaRows(join(dir, "reader.db"), server.url);
    expect(rows.orders![0]).toMatchObject({ account_id: PRACTICE, mode: "practice" });
    expect(journalRows(rows, a.journalId)).toEqual(await dumpJournal(a.journal));
  });
});

/** What the previous release left: tables keyed by id alone, its cursors under unscoped keys, pushed. */
async function legacyReplica(j: Journal, path: string, url: string): Promise<void> {
  const db = await openDeferredReplica({ path, url, clientName: "sekisho-agent" });
  try {
    await db.exec(createStateTableSql());
    for (const t of REPLICATED_TABLES) {
      const cols = await j.feed.columns(t);
      await db.exec(`CREATE TABLE IF NOT EXISTS "${t}" (${cols.map((c) => `"${c.name}" ${c.type}${c.primaryKey ? " PRIMARY KEY" : ""}`).join(", ")})`);
    }
    const items = await j.feed.since(0, 100_000);
    for (const it of items) {
      if (!it.row) continue;
      const cols = Object.keys(it.row);
      await (await db.prepare(`INSERT OR REPLACE INTO "${it.table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`))
        .run(...cols.map((c) => it.row![c] ?? null));
    }
    const seq = String(items[items.length - 1]!.seq);
    for (const k of ["copied_seq", "pushed_seq"]) {
      const st = writeStateSql(k, seq);
      await (await db.prepare(st.sql)).run(...st.params);
    }
    await db.push();
  } finally {
    await db.close();
  }
}
