// `sekisho doctor`: prove that this build can use its native database drivers and the journal. In the compiled
// binary the libSQL and Turso sync addons are embedded (build/native-bindings.ts); if that ever
// breaks, the binary would start fine and fail only when the journal opens. Doctor opens both in a
// scratch directory, writes and reads a row, prints JSON and exits 1 if anything failed.
import type { Command } from "commander";
import { createClient } from "@libsql/client";
import { loadTursoSync } from "../../runtime/turso-sync.ts";
import { VERSION } from "../../core/version.ts";
import { openJournal } from "../../store/index.ts";
import { absolutePath, makeTempDir, removeTree } from "../../runtime/files.ts";
import { runtimeVersion, writeStdout } from "../../runtime/runtime.ts";
import { CliError, EXIT_RUNTIME } from "../errors.ts";
import { errorMessage } from "../../core/error-message.ts";

interface Probe { ok: boolean; detail: string }

const MARK = "sekisho-doctor";

async function probeLibsql(dir: string): Promise<Probe> {
  const path = `${dir}/libsql.db`;
  const client = createClient({ url: `file:${path}` });
  try {
    await client.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, mark TEXT NOT NULL)");
    await client.execute({ sql: "INSERT INTO probe (mark) VALUES (?)", args: [MARK] });
    const rs = await client.execute("SELECT mark, sqlite_version() AS v FROM probe");
    const row = rs.rows[0];
    const ok = row?.["mark"] === MARK;
    return { ok, detail: ok ? `wrote and read a row in ${path} (sqlite ${String(row?.["v"])})` : "row did not round-trip" };
  } finally {
    client.close();
  }
}

async function probeTursoSync(dir: string): Promise<Probe> {
  const path = `${dir}/turso.db`;
  // No url: a local database opened through the sync package's native binding, no network.
  const { connect: connectSync } = await loadTursoSync();
  const db = await connectSync({ path });
  try {
    await db.exec("CREATE TABLE probe (mark TEXT NOT NULL)");
    await db.run("INSERT INTO probe (mark) VALUES (?)", MARK);
    const row = (await db.get("SELECT mark FROM probe")) as { mark?: string } | undefined;
    const ok = row?.mark === MARK;
    return { ok, detail: ok ? `wrote and read a row in ${path}` : "row did not round-trip" };
  } finally {
    await db.close();
  }
}

/** The real order journal (Kysely over libSQL, WAL, migrations) at a scratch path. */
async function probeJournal(dir: string): Promise<Probe> {
  const path = `${dir}/data/orders.db`;
  const journal = await openJournal({ path });
  try {
    const unsettled = await journal.orders.unsettled();
    const ok = unsettled.length === 0;
    return { ok, detail: ok ? `created, migrated and queried the order journal at ${path}` : "a fresh journal has orders in it" };
  } finally {
    await journal.close();
  }
}

async function attempt(fn: () => Promise<Probe>): Promise<Probe> {
  try {
    return await fn();
  } catch (e) {
    return { ok: false, detail: errorMessage(e) };
  }
}

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check that the native database drivers (libSQL, Turso sync) and the order journal work here; prints JSON")
    .option("--dir <dir>", "where to create the scratch directory (default: the OS temp directory)")
    .action(async (o: { dir?: string }) => {
      const scratch = makeTempDir("sekisho-doctor-", o.dir === undefined ? undefined : absolutePath(o.dir));
      try {
        const libsql = await attempt(() => probeLibsql(scratch));
        const tursoSync = await attempt(() => probeTursoSync(scratch));
        const journal = await attempt(() => probeJournal(scratch));
        const ok = libsql.ok && tursoSync.ok && journal.ok;
        writeStdout(`${JSON.stringify({ ok, version: VERSION, runtime: runtimeVersion(), libsql, tursoSync, journal })}\n`);
        if (!ok) throw new CliError("a native database driver does not work in this build", EXIT_RUNTIME);
      } finally {
        removeTree(scratch);
      }
    });
}
