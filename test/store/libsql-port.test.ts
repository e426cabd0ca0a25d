// The journal's engine reports SQLite's errors as @libsql/client does (the code first in the
// message, the base code in `code`, the extended one in `extendedCode`) without loading that client.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LibsqlError as ClientLibsqlError } from "@libsql/client";
import { LibsqlError, openLibsqlPort } from "../../src/store/libsql-port.ts";
import type { SqlPort } from "../../src/store/sql-port.ts";
import { Kysely, sql } from "kysely";
import { SqlPortDialect } from "../../src/store/kysely-dialect.ts";

let dir: string;
let port: SqlPort;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-libsql-port-"));
  port = openLibsqlPort(join(dir, "j.db"));
  await port.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE)", []);
});
afterEach(async () => {
  await port.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("journal engine errors", () => {
  it("a constraint violation: base and extended code, code-first message, the driver's error as cause", async () => {
    await port.execute("INSERT INTO t (k) VALUES (?)", ["a"]);
    const e = await port.execute("INSERT INTO t (k) VALUES (?)", ["a"]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LibsqlError);
    expect(e).toMatchObject({ name: "LibsqlError", code: "SQLITE_CONSTRAINT", extendedCode: "SQLITE_CONSTRAINT_UNIQUE" });
    expect((e as Error).message).toMatch(/^SQLITE_CONSTRAINT: UNIQUE constraint failed: t\.k/);
    expect((e as Error).cause).toBeInstanceOf(Error);
  });

  it("has the shape of @libsql/client's error for the same arguments", () => {
    const ours = new LibsqlError("m", "SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", 517);
    const theirs = new ClientLibsqlError("m", "SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", 517);
    expect({ name: ours.name, message: ours.message, code: ours.code, extendedCode: ours.extendedCode, rawCode: ours.rawCode })
      .toEqual({ name: theirs.name, message: theirs.message, code: theirs.code, extendedCode: theirs.extendedCode, rawCode: theirs.rawCode });
  });

  it("a finished transaction refuses further statements", async () => {
    const tx = await port.begin();
    await tx.commit();
    await expect(tx.execute("SELECT 1", [])).rejects.toMatchObject({ code: "TRANSACTION_CLOSED" });
  });

  it("a COMMIT that fails is rolled back: the caller (through Kysely too) hears the COMMIT's error, and later statements run outside it", async () => {
    // A deferred foreign key is checked at COMMIT, and SQLite keeps the transaction open when it fails.
    await port.execute("PRAGMA foreign_keys = ON", []);
    await port.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)", []);
    const tx = await port.begin();
    await tx.execute("INSERT INTO child (parent) VALUES (?)", [999]);
    await expect(tx.commit()).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await port.execute("INSERT INTO t (k) VALUES (?)", ["after"]); // autocommitted, not inside the failed transaction
    const other = openLibsqlPort(join(dir, "j.db"));
    try {
      expect((await other.execute("SELECT k FROM t", [])).rows).toEqual([{ k: "after" }]);
      expect((await other.execute("SELECT count(*) AS n FROM child", [])).rows).toEqual([{ n: 0 }]);
    } finally {
      await other.close();
    }
    const db = new Kysely<any>({ dialect: new SqlPortDialect(port, false) });
    const failed = await db.transaction().execute(async (trx) => {
      await sql`INSERT INTO child (parent) VALUES (998)`.execute(trx);
    }).catch((e: unknown) => e);
    expect(String(failed)).toMatch(/FOREIGN KEY constraint failed/);
  });
});
