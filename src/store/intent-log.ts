// The journal's intent log: where an order's intent is made durable before its request is
// written, when the journal is a file this process owns. Committing the intent to SQLite took
// 200-330 µs of the 0.9-1.1 ms between a price and the order's POST (WAL, synchronous=NORMAL,
// the process waking cold for each tick: docs/performance.md); one write() of the intent as a JSON
// line takes 30-50 µs, and the SQLite row is written right after the request ("folded"). A line is
// the intent as the order path gives it, its time and the journal's scope: the row is built from
// them when it is folded, looked up or recovered (intent-row.ts: intentRow), not on the way out.
//
// The durability is the journal's own: with JOURNAL_SYNCHRONOUS=normal a line is in the kernel's
// hands when append() returns (a killed process loses nothing; a power cut may lose the last lines,
// as it may lose WAL commits, and the broker's ledger adopts such orders back), with `full` each
// line is fdatasync'd first. At open, every line whose row the journal lacks is written as the row
// it was (status `submitted`: its request may have left), and the log is emptied; while the agent
// runs it is emptied whenever every line is folded and it has grown past LOG_CLEAR_BYTES.
//
// Only the journal's one writer keeps a log (the agent, which holds the journal's owner lock:
// owner-lock.ts); a line's row is written with the same statement as any intent (intent-row.ts),
// idempotent on the client id.
import { AppendFile } from "../runtime/append-file.ts";
import { clientIdsWithRows, intentRow, writeIntentRow } from "./intent-row.ts";
import type { SqlSession } from "./sql-port.ts";
import type { JournalScope, NewOrderIntent, OrderRow } from "./types.ts";

/** Emptied once every line is folded and it holds this much (a few hundred orders). */
const LOG_CLEAR_BYTES = 64 * 1024;

const encoder = new TextEncoder();

/** One logged intent as the bytes of its line. */
const lineOf = (logged: Logged): Uint8Array => encoder.encode(`${JSON.stringify(logged)}\n`);

/** The log kept beside a journal file. */
export const intentLogPath = (journalPath: string): string => `${journalPath}-intents`;

export interface IntentLogRecovery {
  /** Rows written from the log that the journal did not hold. */
  recovered: OrderRow[];
  /** Lines that were not a whole intent row (a torn last line after a power cut, damage): skipped. */
  unreadable: number;
}

/** One line of the log: an intent written as `submitted` at `at`, in the journal's scope. */
interface Logged {
  at: string;
  scope: JournalScope | null;
  intent: NewOrderIntent;
}

const rowOf = (l: Logged): OrderRow => intentRow(l.intent, "submitted", l.at, l.scope ?? undefined);

export class IntentLog {
  /** Logged, not yet folded, by client id. */
  readonly #pending = new Map<string, Logged>();
  /** A fold failed: no more appends (the journal is not taking writes; intents go the SQL way and fail before a request). */
  #failed = false;

  private constructor(private readonly file: AppendFile, private readonly session: SqlSession) {}

  /**
   * Recover what a previous run logged (every row the journal lacks is written), empty the log and
   * open it for appends. `sync`: each append is on disk before it returns (JOURNAL_SYNCHRONOUS=full).
   */
  static async open(path: string, session: SqlSession, o: { sync?: boolean } = {}): Promise<{ log: IntentLog; recovery: IntentLogRecovery }> {
    const recovery = await recover(path, session);
    const file = AppendFile.open(path, { sync: o.sync });
    try {
      file.clear();
    } catch (e) {
      file.close();
      throw e;
    }
    return { log: new IntentLog(file, session), recovery };
  }

  /** False once a fold failed. */
  get usable(): boolean {
    return !this.#failed;
  }

  /**
   * Make the row durable as one line (the caller writes the request next, then folds). Throws when
   * it is not (the caller sends nothing); the log then takes no more lines.
   */
  append(intent: NewOrderIntent, at: string, scope: JournalScope | undefined): void {
    if (this.#failed) throw new Error("intent log: a row could not be written to the journal; intents go to the journal directly");
    const logged: Logged = { at, scope: scope ?? null, intent };
    try {
      this.file.append(lineOf(logged));
    } catch (e) {
      this.#failed = true;
      throw e;
    }
    this.#pending.set(intent.clientId, logged);
  }

  /**
   * The line append() would write, built and not written (the gate's rehearsal,
   * src/gate/rehearsal.ts). Returns its length in bytes.
   */
  rehearse(intent: NewOrderIntent, at: string, scope: JournalScope | undefined): number {
    return lineOf({ at, scope: scope ?? null, intent }).length;
  }

  /** Every logged row not written yet. */
  pendingRows(): OrderRow[] {
    return [...this.#pending.values()].map(rowOf);
  }

  /** The logged row of a client id whose row is not written yet. */
  pending(clientId: string): OrderRow | undefined {
    const l = this.#pending.get(clientId);
    return l && rowOf(l);
  }

  /** Whether a client id has a logged row not written yet. */
  has(clientId: string): boolean {
    return this.#pending.has(clientId);
  }

  /** The logged rows of a signal not written yet. */
  pendingOfSignal(signalId: string): OrderRow[] {
    const out: OrderRow[] = [];
    for (const l of this.#pending.values()) if (l.intent.signalId === signalId) out.push(rowOf(l));
    return out;
  }

  /**
   * Write the row of a logged intent to the journal. On failure the line stays in the log (the
   * next start writes it) and the log takes no more appends.
   */
  async fold(clientId: string): Promise<void> {
    const logged = this.#pending.get(clientId);
    if (!logged) return;
    try {
      await writeIntentRow(this.session, rowOf(logged));
    } catch (e) {
      this.#failed = true;
      throw e;
    }
    this.#pending.delete(clientId);
    if (this.#pending.size === 0 && this.file.size >= LOG_CLEAR_BYTES) this.file.clear();
  }

  /** Close the file; lines not folded stay for the next open. */
  close(): void {
    if (this.#pending.size === 0) this.file.clear();
    this.file.close();
  }
}

/** The whole row lines of the log at `path`, and how many lines were not one. */
function readLog(path: string): { rows: OrderRow[]; unreadable: number } {
  const bytes = AppendFile.read(path);
  const out = { rows: [] as OrderRow[], unreadable: 0 };
  if (!bytes || bytes.length === 0) return out;
  const lines = new TextDecoder().decode(bytes).split("\n");
  // The text after the last "\n" is a line whose append never finished.
  if (lines.pop() !== "") out.unreadable++;
  for (const line of lines) {
    const row = parseRow(line);
    if (row) out.rows.push(row);
    else out.unreadable++;
  }
  return out;
}

/** Write every whole row line of the log at `path` that the journal lacks. */
async function recover(path: string, session: SqlSession): Promise<IntentLogRecovery> {
  const { rows, unreadable } = readLog(path);
  const out: IntentLogRecovery = { recovered: [], unreadable };
  // Rows already there are skipped before the insert: an insert that meets its client id writes
  // nothing, but it still uses up a row id (AUTOINCREMENT), so a log of folded lines left by a
  // kill would make every open skip ids.
  const present = await clientIdsWithRows(session, rows.map((r) => r.clientId));
  for (const row of rows) {
    if (present.has(row.clientId)) continue;
    if ((await writeIntentRow(session, row)).rowsAffected === 1) out.recovered.push(row);
  }
  return out;
}

/**
 * For a reader of a journal (`sekisho orders`): the client ids the log beside it holds that the
 * journal has no row for, read-only. After a crash these are orders whose requests may have left;
 * the agent writes their rows when it next starts (while it runs, a row appears a moment after its
 * line).
 */
export async function intentsNotInJournal(journalPath: string, hasRow: (clientIds: string[]) => Promise<Set<string>>): Promise<string[]> {
  const ids = readLog(intentLogPath(journalPath)).rows.map((r) => r.clientId);
  if (ids.length === 0) return [];
  const present = await hasRow(ids);
  return ids.filter((id) => !present.has(id));
}

/**
 * A line as append() wrote it, as its row, or undefined when it is not one: the time, the scope
 * and every field of the intent with its type (the row's own checks, intentRow's, included),
 * nothing defaulted.
 */
function parseRow(line: string): OrderRow | undefined {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof r !== "object" || r === null || Array.isArray(r) || typeof r.at !== "string") return undefined;
  const scope = r.scope as Record<string, unknown> | null;
  if (scope !== null && (typeof scope !== "object" || typeof scope.accountId !== "string" || typeof scope.mode !== "string")) return undefined;
  const intent = r.intent as Record<string, unknown> | null;
  if (typeof intent !== "object" || intent === null || typeof intent.reduceOnly !== "boolean") return undefined;
  try {
    return rowOf(r as unknown as Logged);
  } catch {
    return undefined; // JournalInputError: a field missing or of another type
  }
}
