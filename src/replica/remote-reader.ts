// Reading the journal from anywhere: pull the Turso replica into a local cache file and query it
// with the same typed queries as the local journal (src/store listOrders and the ledger's), so
// filters agree.
import { Kysely } from "kysely";
import { NamedError } from "../core/named-error.ts";
import { fileExists, removeFileFamily } from "../runtime/files.ts";
import { SqlPortDialect } from "../store/kysely-dialect.ts";
import { hasTableSql } from "../store/replica-sql.ts";
import type { JournalDB } from "../store/tables.ts";
import { tursoPort } from "../store/turso-port.ts";
import { openAttachedReplica, type ReplicaDatabase } from "./replica-db.ts";
import { describeError } from "./replicator.ts";

export type ReplicaAccessProblem = "auth" | "unreachable" | "other";

/** Turso could not be read; `problem` says whether the token, the network or something else. */
export class ReplicaAccessError extends NamedError {
  constructor(readonly problem: ReplicaAccessProblem, message: string) {
    super("ReplicaAccessError", message);
  }
}

function classifyTursoError(e: unknown): ReplicaAccessProblem {
  const m = describeError(e);
  if (/\b(401|403)\b|unauthori[sz]ed|forbidden|invalid token|auth/i.test(m)) return "auth";
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|timed? ?out|abort|network|connect/i.test(m)) return "unreachable";
  return "other";
}

export interface RemoteJournal {
  /** False when the replica has no journal tables yet (the agent never pushed). */
  hasJournal: boolean;
  /** The pulled replica, with the journal's tables under their names. */
  db: Kysely<JournalDB>;
  close(): Promise<void>;
}

/** Pull the replica into its cache file and open it for the store's typed queries. */
export async function openRemoteJournal(o: { url: string; authToken?: string; cachePath: string; clientName?: string }): Promise<RemoteJournal> {
  const fresh = !fileExists(o.cachePath);
  let db: ReplicaDatabase;
  try {
    db = await openAttachedReplica({ path: o.cachePath, url: o.url, authToken: o.authToken, clientName: o.clientName ?? "sekisho-orders" });
  } catch (e) {
    // A failed first bootstrap leaves a half-made cache behind; drop it so the next try starts clean.
    if (fresh) removeFileFamily(o.cachePath);
    throw new ReplicaAccessError(classifyTursoError(e), describeError(e));
  }
  try {
    if (!fresh) await db.pull();
  } catch (e) {
    await db.close().catch(() => {});
    throw new ReplicaAccessError(classifyTursoError(e), describeError(e));
  }
  const has = hasTableSql("orders");
  const hasJournal = ((await (await db.prepare(has.sql)).all(...has.params)) as unknown[]).length > 0;
  const k = new Kysely<JournalDB>({ dialect: new SqlPortDialect(tursoPort(db, true)) });
  return { hasJournal, db: k, close: () => k.destroy() };
}
