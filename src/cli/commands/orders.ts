// `sekisho orders`: read the order journal, locally (DB_PATH or --db) or from the Turso replica
// (--remote), with the same filters and output either way.
import type { Command } from "commander";
import { ORDER_STATUSES, type OrderStatus } from "../../core/orders.ts";
import { redactUrl } from "../../config/load.ts";
import { remoteCachePathFor } from "../../replica/paths.ts";
import { openRemoteOrders, ReplicaAccessError } from "../../replica/remote-reader.ts";
import { fileExists } from "../../runtime/files.ts";
import { writeStderr, writeStdout } from "../../runtime/runtime.ts";
import { MAX_LIST_LIMIT, openJournal, type OrderFilter, type OrderRow } from "../../store/index.ts";
import { normaliseIso } from "../../store/time.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE } from "../errors.ts";
import { formatCsv, formatJson, formatTable } from "./orders-format.ts";
import { parseScopeOptions } from "./scope-options.ts";

export const DEFAULT_ORDERS_LIMIT = 50;

interface OrdersOptions {
  db?: string;
  remote?: string;
  token?: string;
  cache?: string;
  status?: string;
  instrument?: string;
  account?: string;
  mode?: string;
  since?: string;
  limit?: string;
  json?: boolean;
  csv?: boolean;
}

export function registerOrders(program: Command): void {
  program
    .command("orders")
    .description("print the order journal, newest first: locally (DB_PATH or --db) or from the Turso replica (--remote)")
    .option("--db <path>", "journal file to read (default: DB_PATH, ./data/orders.db)")
    .option("--remote <url>", "read the Turso replica at this URL instead (e.g. libsql://sekisho-you.turso.io)")
    .option("--token <token>", "Turso auth token for --remote (default: TURSO_AUTH_TOKEN)")
    .option("--cache <path>", "local cache file for --remote (default: ~/.cache/sekisho/replicas/<host>.db)")
    .option("--status <status>", `only this status: ${ORDER_STATUSES.join(", ")}`)
    .option("--instrument <name>", "only this instrument, e.g. USD_JPY")
    .option("--account <id>", "only orders for this OANDA account id")
    .option("--mode <mode>", "only orders made in this mode: paper, practice or live")
    .option("--since <iso>", "only orders whose intent was written at or after this ISO-8601 time")
    .option("--limit <n>", `at most this many orders (1-${MAX_LIST_LIMIT})`, String(DEFAULT_ORDERS_LIMIT))
    .option("--json", "print a JSON array of order objects")
    .option("--csv", "print CSV: a header line and one line per order")
    .action(async (opts: OrdersOptions) => {
      const filter = parseFilter(opts);
      if (opts.json && opts.csv) throw new CliError("choose one of --json and --csv", EXIT_USAGE);
      if (opts.db !== undefined && opts.remote !== undefined) throw new CliError("choose one of --db and --remote", EXIT_USAGE);
      if (opts.token !== undefined && opts.remote === undefined) throw new CliError("--token goes with --remote", EXIT_USAGE);
      const rows = opts.remote !== undefined ? await readRemote(opts, filter) : await readLocal(opts, filter);
      writeStdout(opts.json ? formatJson(rows) : opts.csv ? formatCsv(rows) : formatTable(rows));
    });
}

function parseFilter(opts: OrdersOptions): OrderFilter {
  const filter: OrderFilter = {};
  if (opts.status !== undefined) {
    const s = opts.status.trim().toLowerCase();
    if (!(ORDER_STATUSES as readonly string[]).includes(s)) throw new CliError(`--status must be one of ${ORDER_STATUSES.join(", ")} (got ${opts.status})`, EXIT_USAGE);
    filter.status = s as OrderStatus;
  }
  if (opts.instrument !== undefined) filter.instrument = opts.instrument.trim().toUpperCase();
  Object.assign(filter, parseScopeOptions(opts));
  if (opts.since !== undefined) {
    if (normaliseIso(opts.since) === undefined) throw new CliError(`--since must be an ISO-8601 time such as 2026-03-02T09:00:00Z (got ${opts.since})`, EXIT_USAGE);
    filter.since = opts.since;
  }
  const limit = Number(opts.limit ?? DEFAULT_ORDERS_LIMIT);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new CliError(`--limit must be a whole number in [1, ${MAX_LIST_LIMIT}] (got ${opts.limit})`, EXIT_USAGE);
  filter.limit = limit;
  return filter;
}

async function readLocal(opts: OrdersOptions, filter: OrderFilter): Promise<OrderRow[]> {
  const path = opts.db ?? loadCliConfig().config.DB_PATH;
  // Never create an empty journal where the operator expected one.
  if (!fileExists(path)) throw new CliError(`no journal at ${path} (set DB_PATH or pass --db)`, EXIT_USAGE);
  const journal = await openJournal({ path }).catch((e: unknown) => {
    throw new CliError(`cannot open the journal at ${path}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`, EXIT_RUNTIME);
  });
  try {
    return (await journal.orders.list(filter)).rows;
  } finally {
    await journal.close();
  }
}

async function readRemote(opts: OrdersOptions, filter: OrderFilter): Promise<OrderRow[]> {
  const url = opts.remote!.trim();
  if (!/^(libsql|https?|wss?):\/\/[^/\s]+/i.test(url) || !URL.canParse(url)) {
    throw new CliError(`--remote must be a Turso database URL such as libsql://sekisho-you.turso.io (got ${redactUrl(url)})`, EXIT_USAGE);
  }
  const token = opts.token ?? loadCliConfig().config.TURSO_AUTH_TOKEN;
  const shown = redactUrl(url);
  let remote;
  try {
    remote = await openRemoteOrders({ url, authToken: token, cachePath: opts.cache ?? remoteCachePathFor(url) });
  } catch (e) {
    if (e instanceof ReplicaAccessError) {
      if (e.problem === "auth") throw new CliError(`Turso at ${shown} rejected the token (check --token or TURSO_AUTH_TOKEN)`, EXIT_USAGE);
      if (e.problem === "unreachable") throw new CliError(`cannot reach Turso at ${shown}: ${e.message}`, EXIT_RUNTIME);
      throw new CliError(`cannot read the replica at ${shown}: ${e.message}`, EXIT_RUNTIME);
    }
    throw e;
  }
  try {
    if (!remote.hasJournal) writeStderr(`sekisho: the replica at ${shown} holds no journal yet (has the agent pushed?)\n`);
    return (await remote.list(filter)).rows;
  } finally {
    await remote.close();
  }
}
