// `sekisho backup FILE` (under Deno, as users run it) while the agent's journal is open with rows
// still in its WAL: the copy is one self-contained file holding every row, checked by
// quick_check; it never overwrites, and bad usage is exit 2 with one line.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Journal, openJournal } from "../../src/store/index.ts";
import { inspectJournalFile } from "../../src/store/integrity.ts";
import { writeOrder } from "../replica/helpers.ts";
import { runSekisho } from "./cli-process.ts";

let dir: string;
let path: string;
let journal: Journal;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-backup-"));
  path = join(dir, "orders.db");
  journal = await openJournal({ path, owner: true, scope: { accountId: "101-001-1-001", mode: "practice" } });
  for (let i = 1; i <= 30; i++) await writeOrder(journal, i);
});

afterAll(async () => {
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sekisho backup", () => {
  it("copies a journal in use, WAL included, into one checked file", async () => {
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0); // the agent's rows are still in the log
    const target = join(dir, "out", "backup.db");
    const r = await runSekisho(["backup", target, "--db", path]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^backed up ${path} to ${target}: 30 orders, \\d+ bytes, quick_check ok\\n$`));
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(await inspectJournalFile(target)).toEqual({ problems: [], orders: 30 });
    const copy = await openJournal({ path: target });
    expect((await copy.orders.list({ limit: 100, mode: "practice" })).rows).toHaveLength(30);
    await copy.close();
  }, 60_000);

  it("never overwrites: an existing file is exit 2 and stays as it was", async () => {
    const target = join(dir, "exists.db");
    writeFileSync(target, "keep me");
    const r = await runSekisho(["backup", target, "--db", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sekisho: ${target} exists; choose a new file name (a backup never overwrites)\n`);
    expect(statSync(target).size).toBe(7);
  }, 60_000);

  it("no journal at the path: exit 2, nothing created", async () => {
    const missing = join(dir, "nope.db");
    const r = await runSekisho(["backup", join(dir, "b2.db"), "--db", missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sekisho: no journal at ${missing} (set DB_PATH or pass --db)\n`);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, "b2.db"))).toBe(false);
  }, 60_000);
});
