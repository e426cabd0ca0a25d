// Where `orders`, `trades` and `pnl` read from: the local journal (DB_PATH or --db, never created
// where none exists) or the Turso replica (--remote, pulled into a local cache file). Both give
// the same typed tables, so the same queries answer the same way. Errors are one line with the
// exit code the CLI promises: 2 for bad usage or a rejected token, 1 for Turso unreachable.
import type { Kysely } from "kysely";
import { redactUrl } from "../../config/load.ts";
import { remoteCachePathFor } from "../../replica/paths.ts";
import { openRemoteJournal, ReplicaAccessError } from "../../replica/remote-reader.ts";
import { fileExists } from "../../runtime/files.ts";
import { writeStderr } from "../../runtime/runtime.ts";
import { type Journal, type JournalDB, openJournal } from "../../store/index.ts";
import { intentsNotInJournal } from "../../store/intent-log.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE, firstLine } from "../errors.ts";

export interface JournalAccessOptions {
  db?: string;
  remote?: string;
  token?: string;
  cache?: string;
}

function checkAccessOptions(opts: JournalAccessOptions): void {
  if (opts.db !== undefined && opts.remote !== undefined) throw new CliError("choose one of --db and --remote", EXIT_USAGE);
  if (opts.token !== undefined && opts.remote === undefined) throw new CliError("--token goes with --remote", EXIT_USAGE);
}

/**
 * The local journal at `path` (DB_PATH or --db), which must exist: a reading command never creates
 * one. Orders logged in the intent log beside it that the journal has no row for (the agent
 * stopped between the two) are named on stderr: their rows appear when the agent next starts.
 */
export async function openLocalJournal(path: string): Promise<Journal> {
  if (!fileExists(path)) throw new CliError(`no journal at ${path} (set DB_PATH or pass --db)`, EXIT_USAGE);
  const journal = await openJournal({ path }).catch((e: unknown) => {
    throw new CliError(`cannot open the journal at ${path}: ${firstLine(e)}`, EXIT_RUNTIME);
  });
  const missing = await intentsNotInJournal(path, (ids) => journal.orders.clientIdsWithRows(ids)).catch(() => []);
  if (missing.length > 0) {
    writeStderr(`sekisho: ${missing.length} order(s) in ${path}-intents have no journal row yet (${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}): their requests may have left; a running agent writes them at once, a stopped one when it next starts\n`);
  }
  return journal;
}

/** Run `fn` on the journal's tables, local or remote; closes them afterwards. */
export async function withJournalDb<T>(opts: JournalAccessOptions, fn: (db: Kysely<JournalDB>) => Promise<T>, empty: T): Promise<T> {
  checkAccessOptions(opts);
  if (opts.remote === undefined) {
    const journal = await openLocalJournal(opts.db ?? loadCliConfig().config.DB_PATH);
    try {
      return await fn(journal.db);
    } finally {
      await journal.close();
    }
  }
  const url = opts.remote.trim();
  if (!/^(libsql|https?|wss?):\/\/[^/\s]+/i.test(url) || !URL.canParse(url)) {
    throw new CliError(`--remote must be a Turso database URL such as libsql://sekisho-you.turso.io (got ${redactUrl(url)})`, EXIT_USAGE);
  }
  const token = opts.token ?? loadCliConfig().config.TURSO_AUTH_TOKEN;
  const shown = redactUrl(url);
  let remote;
  try {
    remote = await openRemoteJournal({ url, authToken: token, cachePath: opts.cache ?? remoteCachePathFor(url) });
  } catch (e) {
    if (e instanceof ReplicaAccessError) {
      if (e.problem === "auth") throw new CliError(`Turso at ${shown} rejected the token (check --token or TURSO_AUTH_TOKEN)`, EXIT_USAGE);
      if (e.problem === "unreachable") throw new CliError(`cannot reach Turso at ${shown}: ${e.message}`, EXIT_RUNTIME);
      throw new CliError(`cannot read the replica at ${shown}: ${e.message}`, EXIT_RUNTIME);
    }
    throw e;
  }
  try {
    if (!remote.hasJournal) {
      writeStderr(`sekisho: the replica at ${shown} holds no journal yet (has the agent pushed?)\n`);
      return empty;
    }
    return await fn(remote.db);
  } finally {
    await remote.close();
  }
}
