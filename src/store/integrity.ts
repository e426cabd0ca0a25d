// Whether the journal can be trusted: it is a sound SQLite file (PRAGMA quick_check) and it takes
// writes (a real write, not a guess from file modes: a read-only mount, an immutable file or a
// file another user owns all fail only when written). The agent refuses to start on either, and
// /health repeats the write proof; a clean stop folds the WAL back into the main file, so the
// database file alone holds the data.
import { Kysely, sql } from "kysely";
import { SqlPortDialect } from "./kysely-dialect.ts";
import { openLibsqlPort } from "./libsql-port.ts";
import type { Clock } from "../core/types.ts";
import type { JournalDB } from "./tables.ts";
import { isoNow } from "./time.ts";
import { errorMessage } from "../core/error-message.ts";

export type JournalProblem = "corrupt" | "read_only" | "unusable" | "in_use";

/** The journal cannot be used; the message is one line naming the file and what to do. */
export class JournalUnusableError extends Error {
  constructor(readonly problem: JournalProblem, message: string) {
    super(message);
    this.name = "JournalUnusableError";
  }
}

/** SQLite's own words for the two failures an operator can act on. */
export function classifyJournalError(e: unknown): JournalProblem {
  const code = String((e as { code?: unknown })?.code ?? "");
  const m = `${code} ${errorMessage(e)}`;
  if (/SQLITE_(NOTADB|CORRUPT)|not a database|malformed|corrupt/i.test(m)) return "corrupt";
  if (/SQLITE_(READONLY|CANTOPEN|PERM|IOERR)|readonly|read-only|permission denied|unable to open/i.test(m)) return "read_only";
  return "unusable";
}

export function journalErrorLine(path: string, e: unknown): JournalUnusableError {
  if (e instanceof JournalUnusableError) return e;
  const problem = classifyJournalError(e);
  const detail = errorMessage(e).split("\n")[0]!;
  const what = problem === "corrupt"
    ? `the journal at ${path} is corrupt (${detail}); move it away and restore a copy made with \`sekisho backup\``
    : problem === "read_only"
    ? `the journal at ${path} is not writable (${detail}); check the file, its directory and the disk`
    : `the journal at ${path} cannot be used (${detail})`;
  return new JournalUnusableError(problem, what);
}

/** PRAGMA quick_check: "ok", or the first problems SQLite found. */
export async function quickCheck(db: Kysely<JournalDB>): Promise<string[]> {
  const r = await sql<Record<string, unknown>>`PRAGMA quick_check`.execute(db);
  const lines = r.rows.map((row) => String(Object.values(row)[0]));
  return lines.length === 1 && lines[0] === "ok" ? [] : lines;
}

/**
 * Prove the journal takes writes by writing: one row of journal_probe is overwritten with the
 * time. Cheap (one tiny autocommit statement on a one-row table that is not replicated).
 */
export async function probeWrite(db: Kysely<JournalDB>, clock: Clock): Promise<void> {
  await db.insertInto("journal_probe").values({ id: 1, written_at: isoNow(clock) })
    .onConflict((oc) => oc.column("id").doUpdateSet({ written_at: isoNow(clock) }))
    .execute();
}

/**
 * Fold the write-ahead log into the database file and empty it (TRUNCATE), so a copy of the
 * database file alone holds everything. Returns false when a reader kept part of the log busy.
 */
export async function checkpoint(db: Kysely<JournalDB>): Promise<boolean> {
  const r = await sql<{ busy: number; log: number; checkpointed: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  const row = r.rows[0];
  return row !== undefined && Number(row.busy) === 0;
}

/** Check a journal file without changing it (no migrations, no WAL switch): for backups. */
export async function inspectJournalFile(path: string): Promise<{ problems: string[]; orders: number }> {
  const db = new Kysely<JournalDB>({ dialect: new SqlPortDialect(openLibsqlPort(path)) });
  try {
    const problems = await quickCheck(db);
    const r = await db.selectFrom("orders").select(db.fn.countAll<number>().as("n")).executeTakeFirst();
    return { problems, orders: Number(r?.n ?? 0) };
  } finally {
    await db.destroy();
  }
}
