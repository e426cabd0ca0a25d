// `sekisho orders`: read the order journal, locally (DB_PATH or --db) or from the Turso replica
// (--remote), with the same filters and output either way.
import type { Command } from "commander";
import { ORDER_STATUSES, type OrderStatus } from "../../core/orders.ts";
import { writeStdout } from "../../runtime/runtime.ts";
import { isOrderStatus, listOrders, MAX_LIST_LIMIT, type OrderFilter, type OrderRow } from "../../store/index.ts";
import { CliError, EXIT_USAGE } from "../errors.ts";
import { parseIsoOption } from "../time-option.ts";
import { type JournalAccessOptions, withJournalDb } from "./journal-access.ts";
import { formatCsv, formatJson, formatTable } from "./orders-format.ts";
import { parseScopeOptions } from "./scope-options.ts";

const DEFAULT_ORDERS_LIMIT = 50;

interface OrdersOptions extends JournalAccessOptions {
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
      const rows = await withJournalDb(opts, async (db) => (await listOrders(db, filter)).rows, [] as OrderRow[]);
      writeStdout(opts.json ? formatJson(rows) : opts.csv ? formatCsv(rows) : formatTable(rows));
    });
}

function parseFilter(opts: OrdersOptions): OrderFilter {
  const filter: OrderFilter = {};
  if (opts.status !== undefined) {
    const s = opts.status.trim().toLowerCase();
    if (!isOrderStatus(s)) throw new CliError(`--status must be one of ${ORDER_STATUSES.join(", ")} (got ${opts.status})`, EXIT_USAGE);
    filter.status = s as OrderStatus;
  }
  if (opts.instrument !== undefined) filter.instrument = opts.instrument.trim().toUpperCase();
  Object.assign(filter, parseScopeOptions(opts));
  const since = parseIsoOption("--since", opts.since);
  if (since !== undefined) filter.since = since;
  const limit = Number(opts.limit ?? DEFAULT_ORDERS_LIMIT);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new CliError(`--limit must be a whole number in [1, ${MAX_LIST_LIMIT}] (got ${opts.limit})`, EXIT_USAGE);
  filter.limit = limit;
  return filter;
}
