// SQL for the Turso replica, kept here because all SQL lives in the store. The replica mirrors
// each replicated table under the same name and columns (no triggers, no change feed), plus a
// small state table holding the copy cursor. One Turso database may hold many agents' journals,
// and each journal numbers its rows from 1, so every replica row also carries its journal's
// identity (`journal_id`) and the replica's primary key is (journal_id, id): two agents never
// overwrite each other. Statements use positional `?` parameters.
import type { ColumnDef } from "./feed.ts";
import { REPLICATED_TABLES, type ReplicatedTable } from "./tables.ts";

export interface Statement {
  sql: string;
  params: unknown[];
}

const REPLICA_STATE_TABLE = "sekisho_replica_state";
/** The column naming the journal a replica row comes from. */
export const JOURNAL_ID_COLUMN = "journal_id";

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

function assertTable(t: string): asserts t is ReplicatedTable {
  if (!(REPLICATED_TABLES as readonly string[]).includes(t)) throw new Error(`not a replicated table: ${t}`);
}

function safeType(t: string): string {
  const u = t.toUpperCase();
  return /^[A-Z ]+$/.test(u) ? u : "TEXT";
}

export function createStateTableSql(): string {
  return `CREATE TABLE IF NOT EXISTS ${REPLICA_STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`;
}

export function readStateSql(): Statement {
  return { sql: `SELECT key, value FROM ${REPLICA_STATE_TABLE}`, params: [] };
}

export function writeStateSql(key: string, value: string): Statement {
  return {
    sql: `INSERT INTO ${REPLICA_STATE_TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    params: [key, value],
  };
}

export function tableColumnsSql(table: ReplicatedTable): Statement {
  assertTable(table);
  return { sql: `SELECT name FROM pragma_table_info(?)`, params: [table] };
}

/** The table keyed by (journal_id, the journal's primary key). */
export function createTableSql(table: ReplicatedTable, cols: ColumnDef[]): string {
  assertTable(table);
  const key = cols.filter((c) => c.primaryKey).map((c) => ident(c.name));
  if (key.length === 0) throw new Error(`table ${table} has no primary key`);
  const defs = [`${ident(JOURNAL_ID_COLUMN)} TEXT NOT NULL`, ...cols.map((c) => `${ident(c.name)} ${safeType(c.type)}${c.primaryKey ? " NOT NULL" : ""}`)];
  return `CREATE TABLE IF NOT EXISTS ${ident(table)} (${defs.join(", ")}, PRIMARY KEY (${[ident(JOURNAL_ID_COLUMN), ...key].join(", ")}))`;
}

/**
 * Replicas made before tables carried journal_id were keyed by the local id alone (one agent per
 * database). Such a table is dropped and copied again from the journal in the keyed layout.
 */
export function dropTableSql(table: ReplicatedTable): string {
  assertTable(table);
  return `DROP TABLE IF EXISTS ${ident(table)}`;
}

export function deleteStateSql(key: string): Statement {
  return { sql: `DELETE FROM ${REPLICA_STATE_TABLE} WHERE key = ?`, params: [key] };
}

export function addColumnSql(table: ReplicatedTable, col: ColumnDef): string {
  assertTable(table);
  return `ALTER TABLE ${ident(table)} ADD COLUMN ${ident(col.name)} ${safeType(col.type)}`;
}

/** Indexes that make the replica's common queries (orders by status, instrument, time) fast. */
export function replicaIndexSql(): string[] {
  return [
    `CREATE INDEX IF NOT EXISTS orders_status ON orders (status)`,
    `CREATE INDEX IF NOT EXISTS orders_instrument_intent_at ON orders (instrument, intent_at)`,
    `CREATE INDEX IF NOT EXISTS orders_intent_at ON orders (intent_at)`,
    `CREATE INDEX IF NOT EXISTS orders_account_mode ON orders (account_id, mode)`,
    `CREATE INDEX IF NOT EXISTS decisions_ts ON decisions (ts)`,
    `CREATE INDEX IF NOT EXISTS metrics_name_ts ON metrics (name, ts)`,
  ];
}

/** Insert or overwrite a journal's row by (journal_id, id): repeating it is harmless. */
export function upsertSql(table: ReplicatedTable, journalId: string, row: Record<string, unknown>): Statement {
  assertTable(table);
  const cols = Object.keys(row).filter((c) => c !== JOURNAL_ID_COLUMN);
  if (!cols.includes("id")) throw new Error(`row of ${table} has no id`);
  const updates = cols.filter((c) => c !== "id").map((c) => `${ident(c)} = excluded.${ident(c)}`);
  const all = [JOURNAL_ID_COLUMN, ...cols];
  return {
    sql: `INSERT INTO ${ident(table)} (${all.map(ident).join(", ")}) VALUES (${all.map(() => "?").join(", ")})` +
      ` ON CONFLICT(${ident(JOURNAL_ID_COLUMN)}, id) ` + (updates.length ? `DO UPDATE SET ${updates.join(", ")}` : `DO NOTHING`),
    params: [journalId, ...cols.map((c) => row[c] ?? null)],
  };
}

export function deleteSql(table: ReplicatedTable, journalId: string, id: number): Statement {
  assertTable(table);
  return { sql: `DELETE FROM ${ident(table)} WHERE ${ident(JOURNAL_ID_COLUMN)} = ? AND id = ?`, params: [journalId, id] };
}

/** Whether the replica has an orders table yet (false before the agent's first push). */
export function hasTableSql(table: ReplicatedTable): Statement {
  assertTable(table);
  return { sql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, params: [table] };
}
