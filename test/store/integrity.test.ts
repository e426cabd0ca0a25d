// Finding 7 of issue 10: a broken journal must not go unnoticed. A corrupt or read-only journal is
// refused when the owner (the agent) opens it, with one line naming the file; the write probe
// tells when it stops taking writes; a clean close leaves everything in the database file, so
// copying orders.db alone copies the data; `journal.backup` makes a consistent copy while the
// journal is open with rows still in the WAL.
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { openJournal, JournalUnusableError } from "../../src/store/index.ts";
import { inspectJournalFile } from "../../src/store/integrity.ts";
import { orderIntent, writeOrder } from "../replica/helpers.ts";
import { makeReadOnly, undoReadOnly } from "../helpers/read-only.ts";

let dir: string;
const made: string[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-integrity-"));
  made.push(dir);
});
afterAll(() => {
  for (const d of made) {
    for (const f of ["orders.db", "ro.db"]) undoReadOnly(join(d, f));
    rmSync(d, { recursive: true, force: true });
  }
});

async function journalWithOrders(path: string, n: number): Promise<void> {
  const j = await openJournal({ path, owner: true });
  for (let i = 1; i <= n; i++) await writeOrder(j, i);
  await j.close();
}

function overwrite(path: string, offset: number, bytes: number): void {
  const fd = openSync(path, "r+");
  // Deterministic garbage (not zeros: a zeroed page can look like a free page).
  const junk = Buffer.alloc(bytes, 0);
  for (let i = 0; i < bytes; i++) junk[i] = (i * 131 + 17) & 0xff;
  writeSync(fd, junk, 0, bytes, offset);
  closeSync(fd);
}

describe("opening the journal as its owner", () => {
  it("refuses 4 KiB of garbage over the header: one line, problem corrupt", async () => {
    const path = join(dir, "orders.db");
    await journalWithOrders(path, 30);
    overwrite(path, 0, 4096);
    const e = await openJournal({ path, owner: true }).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(JournalUnusableError);
    expect((e as JournalUnusableError).problem).toBe("corrupt");
    expect((e as Error).message).toContain(path);
    expect((e as Error).message.split("\n")).toHaveLength(1);
  });

  it("refuses 4 KiB of garbage inside the file (PRAGMA quick_check finds it)", async () => {
    const path = join(dir, "orders.db");
    await journalWithOrders(path, 200);
    expect(statSync(path).size).toBeGreaterThan(4 * 4096);
    overwrite(path, 2 * 4096, 4096); // page 3: a table or index page, not the header
    const e = await openJournal({ path, owner: true }).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(JournalUnusableError);
    expect((e as JournalUnusableError).problem).toBe("corrupt");
    expect((e as Error).message).toMatch(/is corrupt .*sekisho backup/);
  });

  it("refuses a journal that does not take writes: problem read_only", async (ctx) => {
    const path = join(dir, "ro.db");
    await journalWithOrders(path, 3);
    if (!makeReadOnly(path)) ctx.skip();
    try {
      const e = await openJournal({ path, owner: true }).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(JournalUnusableError);
      expect((e as JournalUnusableError).problem).toBe("read_only");
      expect((e as Error).message).toMatch(/is not writable/);
    } finally {
      undoReadOnly(path);
    }
  });

  it("a reader (not the owner) still opens a sound journal that is read-only", async (ctx) => {
    const path = join(dir, "ro.db");
    await journalWithOrders(path, 3);
    if (!makeReadOnly(path)) ctx.skip();
    try {
      const j = await openJournal({ path });
      expect((await j.orders.list({ limit: 10 })).rows).toHaveLength(3);
      expect((await j.probe()).writable).toBe(false);
      await j.close();
    } finally {
      undoReadOnly(path);
    }
  });
});

describe("closing and copying", () => {
  it("a clean close folds the WAL into orders.db: the file copied alone holds every row", async () => {
    const path = join(dir, "orders.db");
    const j = await openJournal({ path, owner: true });
    for (let i = 1; i <= 40; i++) await writeOrder(j, i);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0); // the rows sit in the log while open
    await j.close();
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);
    const alone = mkdtempSync(join(tmpdir(), "sekisho-copy-"));
    made.push(alone);
    copyFileSync(path, join(alone, "orders.db"));
    const copy = await inspectJournalFile(join(alone, "orders.db"));
    expect(copy).toEqual({ problems: [], orders: 40 });
  });

  it("backup() copies everything, WAL included, while the journal is open, into one file", async () => {
    const path = join(dir, "orders.db");
    const j = await openJournal({ path, owner: true });
    for (let i = 1; i <= 25; i++) await writeOrder(j, i);
    const target = join(dir, "copies", "backup.db");
    await j.backup(target);
    await j.orders.insertIntent(orderIntent(999, "after"));
    // Only the backup file, no -wal beside it: self-contained.
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(await inspectJournalFile(target)).toEqual({ problems: [], orders: 25 });
    await expect(j.backup(target)).rejects.toThrow(/exists/);
    await j.close();
    expect(readFileSync(target).subarray(0, 15).toString()).toBe("SQLite format 3");
  });
});

describe("the write probe", () => {
  it("says writable on a healthy journal and writes nothing anyone reads", async () => {
    const j = await openJournal({ path: join(dir, "orders.db"), owner: true });
    expect(await j.probe()).toEqual({ writable: true });
    expect(await j.feed.head()).toBe(0); // not replicated: the change feed did not move
    await j.close();
  });
});

