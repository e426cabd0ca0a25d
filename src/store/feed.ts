// The change feed the replicator reads: every insert, update and delete on a replicated table
// bumps a sequence number (triggers in migrations.ts). Reading "changes after N" in sequence order
// gives each changed row once, in its current state, so a copier with a persisted cursor resumes
// after a restart without gaps, and re-copying a row is harmless (upsert by primary key).
import { type Kysely, sql } from "kysely";
import { type JournalDB, REPLICATED_TABLES, type ReplicatedTable } from "./tables.ts";

export interface ChangeItem {
  seq: number;
  table: ReplicatedTable;
  rowId: number;
  /** The row as stored now; absent when it was deleted. */
  row?: Record<string, unknown>;
}

export interface ColumnDef {
  name: string;
  /** Declared type (TEXT, REAL, INTEGER). */
  type: string;
  primaryKey: boolean;
}

function isReplicated(t: string): t is ReplicatedTable {
  return (REPLICATED_TABLES as readonly string[]).includes(t);
}

export function changeFeed(db: Kysely<JournalDB>) {
  return {
    /** Changes with seq > afterSeq, oldest first, at most `limit`, with their rows. */
    async since(afterSeq: number, limit: number): Promise<ChangeItem[]> {
      const changes = await db.selectFrom("changes").selectAll().where("seq", ">", afterSeq).orderBy("seq", "asc").limit(limit).execute();
      const byTable = new Map<ReplicatedTable, number[]>();
      for (const c of changes) {
        if (!isReplicated(c.tbl)) continue;
        const ids = byTable.get(c.tbl) ?? [];
        ids.push(c.row_id);
        byTable.set(c.tbl, ids);
      }
      const rows = new Map<string, Record<string, unknown>>();
      for (const [table, ids] of byTable) {
        const found = await (db as unknown as Kysely<Record<string, { id: number }>>)
          .selectFrom(table)
          .selectAll()
          .where("id", "in", ids)
          .execute();
        for (const r of found) rows.set(`${table}:${r.id}`, r as Record<string, unknown>);
      }
      return changes
        .filter((c) => isReplicated(c.tbl))
        .map((c) => ({ seq: c.seq, table: c.tbl as ReplicatedTable, rowId: c.row_id, row: rows.get(`${c.tbl}:${c.row_id}`) }));
    },

    /** The journal's identity (migration 005): the key its rows carry in a shared replica. */
    async journalId(): Promise<string> {
      const r = await db.selectFrom("journal_identity").select("journal_id").where("id", "=", 1).executeTakeFirstOrThrow();
      return r.journal_id;
    },

    /** The latest sequence number handed out (0 when nothing was ever written). */
    async head(): Promise<number> {
      const r = await db.selectFrom("change_counter").select("seq").where("id", "=", 1).executeTakeFirst();
      return r?.seq ?? 0;
    },

    /** How many rows changed after `seq` (what a replica at that cursor is missing). */
    async countAfter(seq: number): Promise<number> {
      const r = await db.selectFrom("changes").select(db.fn.countAll<number>().as("n")).where("seq", ">", seq).executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    /** Column definitions of a replicated table, for building the replica's schema. */
    async columns(table: ReplicatedTable): Promise<ColumnDef[]> {
      const r = await sql<{ name: string; type: string; pk: number }>`SELECT name, type, pk FROM pragma_table_info(${table})`.execute(db);
      return r.rows.map((c) => ({ name: c.name, type: c.type || "TEXT", primaryKey: Number(c.pk) > 0 }));
    },
  };
}

export type ChangeFeed = ReturnType<typeof changeFeed>;
