// `sekisho trades`: open and closed trades from the broker's ledger, locally or from the replica.
import type { Command } from "commander";
import { CLOSE_REASONS, type CloseReason, listTrades, type Trade } from "../../ledger/index.ts";
import { writeStdout } from "../../runtime/runtime.ts";
import { MAX_LIST_LIMIT } from "../../store/index.ts";
import { CliError, EXIT_USAGE } from "../errors.ts";
import { parseIsoOption } from "../time-option.ts";
import type { JournalAccessOptions } from "./journal-access.ts";
import { BROKER_OPTION, brokerUnrealizedByTrade } from "./broker-unrealized.ts";
import { csv, textTable } from "../listing-format.ts";
import { money, readLedger, when } from "./ledger-read.ts";
import { parseScopeOptions } from "./scope-options.ts";

interface TradesOptions extends JournalAccessOptions {
  state?: string; instrument?: string; pocket?: string; strategy?: string; reason?: string; since?: string; limit?: string;
  account?: string; mode?: string; json?: boolean; csv?: boolean; broker?: boolean;
}

/** A trade as listed; with --broker, open trades carry the broker's unrealized P/L (null when closed or not priced). */
type ListedTrade = Trade & { unrealizedPL?: number | null };

/** CSV columns: every field of a trade (the JSON objects carry the same names). */
const TRADE_COLUMNS: (keyof Trade)[] = [
  "id", "instrument", "side", "units", "openUnits", "openTime", "openPrice", "openTransactionId", "openClientId", "pocket", "strategy", "worker", "state",
  "closeTime", "closePrice", "closedUnits", "closeReason", "closeTransactionId", "closeClientId", "realizedPL", "financing", "netPL",
];

export function registerTrades(program: Command): void {
  program
    .command("trades")
    .description("print trades from the broker's ledger, newest first: open and closed, how each ended, P/L and financing")
    .option("--db <path>", "journal file to read (default: DB_PATH, ./data/orders.db)")
    .option("--remote <url>", "read the Turso replica at this URL instead")
    .option("--token <token>", "Turso auth token for --remote (default: TURSO_AUTH_TOKEN)")
    .option("--cache <path>", "local cache file for --remote (default: ~/.cache/sekisho/replicas/<host>.db)")
    .option("--state <state>", "only open or closed trades")
    .option("--instrument <name>", "only this instrument, e.g. USD_JPY")
    .option("--pocket <pocket>", "only this pocket (macro, micro, scalp, scalp_fast, manual)")
    .option("--strategy <name>", "only this strategy")
    .option("--reason <reason>", `only trades that ended this way: ${CLOSE_REASONS.join(", ")}`)
    .option("--since <iso>", "only trades opened or closed at or after this ISO-8601 time")
    .option("--account <id>", "the OANDA account (needed when the journal holds several)")
    .option("--mode <mode>", "only the account traded in this mode: paper, practice or live")
    .option("--limit <n>", `at most this many trades (1-${MAX_LIST_LIMIT})`, "50")
    .option("--json", "print a JSON array of trade objects")
    .option("--csv", "print CSV: a header line and one line per trade")
    .option(...BROKER_OPTION)
    .action(async (opts: TradesOptions) => {
      if (opts.json && opts.csv) throw new CliError("choose one of --json and --csv", EXIT_USAGE);
      const state = opts.state?.trim().toLowerCase();
      if (state !== undefined && state !== "open" && state !== "closed") throw new CliError(`--state must be open or closed (got ${opts.state})`, EXIT_USAGE);
      const reason = opts.reason?.trim().toLowerCase();
      if (reason !== undefined && !(CLOSE_REASONS as readonly string[]).includes(reason)) throw new CliError(`--reason must be one of ${CLOSE_REASONS.join(", ")} (got ${opts.reason})`, EXIT_USAGE);
      const since = parseIsoOption("--since", opts.since);
      const limit = Number(opts.limit ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new CliError(`--limit must be a whole number in [1, ${MAX_LIST_LIMIT}] (got ${opts.limit})`, EXIT_USAGE);
      const scope = parseScopeOptions(opts);
      const { source, ledger } = await readLedger(opts, scope);
      const { trades: page } = listTrades(ledger.trades, {
        state: state as "open" | "closed" | undefined, instrument: opts.instrument?.trim().toUpperCase(), pocket: opts.pocket?.trim(), strategy: opts.strategy?.trim(),
        reason: reason as CloseReason | undefined, since, limit,
      });
      let trades: ListedTrade[] = page;
      if (opts.broker) {
        const upl = await brokerUnrealizedByTrade(source.accountId);
        trades = page.map((t) => ({ ...t, unrealizedPL: t.state === "open" ? upl.get(t.id) ?? null : null }));
      }
      const columns: (keyof ListedTrade)[] = opts.broker ? [...TRADE_COLUMNS, "unrealizedPL"] : TRADE_COLUMNS;
      writeStdout(opts.json ? `${JSON.stringify(trades, null, 2)}\n` : opts.csv ? csv(columns, trades.map((t) => columns.map((c) => t[c]))) : formatTrades(trades, opts.broker ?? false));
    });
}

function formatTrades(trades: ListedTrade[], withUnrealized = false): string {
  if (trades.length === 0) return "no trades match\n";
  const cols = [
    { title: "ID", right: true }, { title: "OPENED (UTC)" }, { title: "INSTRUMENT" }, { title: "SIDE" }, { title: "UNITS", right: true },
    { title: "OPEN", right: true }, { title: "CLOSED (UTC)" }, { title: "CLOSE", right: true }, { title: "REASON" }, { title: "POCKET" },
    { title: "STRATEGY" }, { title: "REALIZED", right: true }, { title: "FINANCING", right: true }, { title: "NET", right: true },
    ...(withUnrealized ? [{ title: "UNREALIZED", right: true }] : []),
  ];
  return textTable(cols, trades.map((t) => [
    t.id, when(t.openTime), t.instrument, t.side, t.units === null ? "?" : String(t.units), t.openPrice === null ? "-" : String(t.openPrice),
    t.state === "open" ? "open" : when(t.closeTime), t.closePrice === null ? "-" : String(Math.round(t.closePrice * 100_000) / 100_000),
    t.closeReason ?? "", t.pocket, t.strategy, money(t.realizedPL), money(t.financing), money(t.netPL),
    ...(withUnrealized ? [money(t.unrealizedPL ?? null)] : []),
  ]));
}
