// The journal's WAL checkpoints run on a second connection off the event loop (src/store/
// checkpointer.ts): the owner's connection never checkpoints or restarts the log itself, the
// checkpointer folds the log into the file and restarts it, the owner's writes wait (without
// blocking) during that restart and never fail for it, readers are never held, a reader holding
// the log only postpones the restart. All on real libSQL files.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WalCheckpointer } from "../../src/store/checkpointer.ts";
import { type JournalPort, openLibsqlPort } from "../../src/store/libsql-port.ts";
import { openJournal } from "../../src/store/index.ts";

let dir: string;
let path: string;
const open: Array<{ close(): unknown }> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-checkpoint-"));
  path = join(dir, "orders.db");
});
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
  rmSync(dir, { recursive: true, force: true });
});

const ROW = "x".repeat(3000); // a row per page, near enough

async function ownerPort(): Promise<JournalPort> {
  const port = openLibsqlPort(path);
  open.push(port);
  for (const s of ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 0",
    "CREATE TABLE IF NOT EXISTS journal_probe (id INTEGER PRIMARY KEY, written_at TEXT NOT NULL)", "CREATE TABLE IF NOT EXISTS t (i INTEGER, pad TEXT)"]) {
    await port.execute(s, []);
  }
  return port;
}

async function checkpointer(port: JournalPort, restartFrames: number): Promise<WalCheckpointer> {
  const errors: unknown[] = [];
  const c = await WalCheckpointer.open({ path, port, synchronous: "NORMAL", now: () => new Date().toISOString(), restartFrames, onError: (e) => errors.push(e) });
  open.push({ close: async () => {
    await c.close();
    expect(errors).toEqual([]);
  } });
  return c;
}

async function writeRows(port: JournalPort, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) await port.execute("INSERT INTO t (i, pad) VALUES (?, ?)", [i, ROW]);
}

/** The log as a third connection sees it (a PASSIVE checkpoint of nothing new is a read). */
function logPages(): { log: number; checkpointed: number } {
  const db = new Database(path);
  try {
    const r = db.prepare("PRAGMA wal_checkpoint(PASSIVE)").all() as Array<{ log: number; checkpointed: number }>;
    return r[0]!;
  } finally {
    db.close();
  }
}

function count(port: JournalPort): Promise<number> {
  return port.execute("SELECT count(*) AS n FROM t", []).then((r) => Number(r.rows[0]!.n));
}

describe("the owner's connection with wal_autocheckpoint = 0", () => {
  it("never checkpoints or restarts the log itself: 1,500 pages of writes all stay in the log", async () => {
    const port = await ownerPort();
    await writeRows(port, 1500);
    // With SQLite's automatic checkpoint (1,000 pages) the log would have been restarted and be
    // smaller than what was written.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1500 * 4096);
  });
});

describe("WalCheckpointer", () => {
  it("folds the log into the file and restarts it once it holds restartFrames pages, from its own connection", async () => {
    const port = await ownerPort();
    const c = await checkpointer(port, 200);
    await writeRows(port, 300);
    expect(logPages().log).toBeGreaterThanOrEqual(300);
    await c.run();
    expect(c.stats.restarts).toBe(1);
    // The log starts over: only the checkpointer's own restart write is in it.
    const after = logPages();
    expect(after.log).toBeLessThan(10);
    expect(await count(port)).toBe(300);
    // The owner's next writes go on in the restarted log.
    await writeRows(port, 5, 300);
    expect(await count(port)).toBe(305);
    expect(logPages().log).toBeLessThan(20);
  });

  it("below restartFrames checkpoints without restarting, and the owner's next write does not restart the log either", async () => {
    const port = await ownerPort();
    const c = await checkpointer(port, 10_000);
    await writeRows(port, 50);
    await c.run();
    expect(c.stats).toEqual({ cycles: 1, restarts: 0 });
    const l = logPages();
    expect(l.log).toBeGreaterThanOrEqual(50);
    expect(l.checkpointed).toBe(l.log);
    // The whole log is in the file, but the owner's next write must append, not restart the log
    // (a restart fsyncs the log's new header in that write, on the event loop).
    await writeRows(port, 5, 50);
    expect(logPages().log).toBeGreaterThanOrEqual(l.log + 5);
    await c.run();
    await writeRows(port, 5, 55);
    expect(logPages().log).toBeGreaterThanOrEqual(l.log + 10);
    expect(await count(port)).toBe(60);
  });

  it("the owner's writes during a cycle never meet the checkpointer's lock: with no busy timeout at all, none fails", async () => {
    const port = await ownerPort();
    // No busy handler: a write that met the restart's write lock would fail with SQLITE_BUSY
    // at once (with one, it would sleep on the event loop instead).
    await port.execute("PRAGMA busy_timeout = 0", []);
    const c = await checkpointer(port, 100);
    // Which restarts happened while the owner's writes were held.
    let restartsWhileHeld = 0;
    const hold = port.holdWrites.bind(port);
    port.holdWrites = (fn) => hold(async () => {
      const before = c.stats.restarts;
      try {
        return await fn();
      } finally {
        restartsWhileHeld += c.stats.restarts - before;
      }
    });
    await writeRows(port, 150);
    let done = false;
    const cycle = c.run().then(() => { done = true; });
    let k = 0;
    while (!done) {
      await port.execute("INSERT INTO t (i, pad) VALUES (?, ?)", [1000 + k++, "w"]);
      await new Promise((r) => setTimeout(r, 0));
    }
    await cycle;
    expect(c.stats.restarts).toBe(1);
    expect(restartsWhileHeld).toBe(1);
    expect(await count(port)).toBe(150 + k);
  });

  it("holdWrites: a write asked for while another connection holds waits until it is done; a read does not", async () => {
    const port = await ownerPort();
    await writeRows(port, 3);
    const events: string[] = [];
    let release!: () => void;
    const held = port.holdWrites(async () => {
      events.push("held");
      await new Promise<void>((r) => { release = r; });
      events.push("released");
    });
    await Promise.resolve();
    const write = port.execute("INSERT INTO t (i, pad) VALUES (?, ?)", [99, "w"]).then(() => events.push("write"));
    const read = count(port).then((n) => events.push(`read ${n}`));
    await read;
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(["held", "read 3"]);
    release();
    await Promise.all([held, write]);
    expect(events).toEqual(["held", "read 3", "released", "write"]);
    expect(await count(port)).toBe(4);
  });

  it("a reader holding the log postpones the restart (no error, nothing lost); the next cycle restarts", async () => {
    const port = await ownerPort();
    const c = await checkpointer(port, 100);
    await writeRows(port, 150);
    const reader = new Database(path);
    reader.exec("BEGIN");
    expect((reader.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n).toBe(150);
    await writeRows(port, 10, 150);
    await c.run();
    expect(c.stats.restarts).toBe(0);
    expect(logPages().log).toBeGreaterThanOrEqual(160);
    reader.exec("COMMIT");
    reader.close();
    await c.run();
    expect(c.stats.restarts).toBe(1);
    expect(logPages().log).toBeLessThan(10);
    expect(await count(port)).toBe(160);
  });
});

describe("a failing cycle", () => {
  it("is reported once while it keeps failing with the same error, and its recovery once", async () => {
    const port = await ownerPort();
    const events: string[] = [];
    const c = await WalCheckpointer.open({
      path, port, synchronous: "NORMAL", now: () => new Date().toISOString(), restartFrames: 10,
      onError: (e) => events.push(`error ${String(e)}`), onRecovered: () => events.push("recovered"),
    });
    open.push(c);
    await writeRows(port, 20);
    // The restart's write fails while its table is missing (a stand-in for a disk that refuses).
    await port.execute("ALTER TABLE journal_probe RENAME TO journal_probe_away", []);
    for (let i = 0; i < 3; i++) {
      await c.run();
      await writeRows(port, 20, 20 * (i + 1));
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toContain("journal_probe");
    await port.execute("ALTER TABLE journal_probe_away RENAME TO journal_probe", []);
    await c.run();
    await c.run();
    expect(events.slice(1)).toEqual(["recovered"]);
    expect(c.stats.restarts).toBeGreaterThanOrEqual(1);
    expect(await count(port)).toBe(80);
  });
});

describe("openJournal", () => {
  it("the owner's journal leaves checkpoints to the checkpointer; a clean close still folds the log into the file", async () => {
    const j = await openJournal({ path, owner: true });
    const auto = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(j.db);
    expect(Number(auto.rows[0]!.wal_autocheckpoint)).toBe(0);
    expect((await j.probe()).writable).toBe(true);
    await j.close();
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
  });

  it("a reader's journal keeps SQLite's automatic checkpoint", async () => {
    await (await openJournal({ path, owner: true })).close();
    const j = await openJournal({ path });
    open.push({ close: () => j.close() });
    const auto = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(j.db);
    expect(Number(auto.rows[0]!.wal_autocheckpoint)).toBe(1000);
  });
});
