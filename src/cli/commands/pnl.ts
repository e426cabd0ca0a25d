// `sekisho pnl`: what the agent earned, by OANDA trading day (ends 17:00 New York), pocket,
// strategy or instrument, locally or from the replica. Unrealized P/L comes from the latest
// account snapshot in the journal (per instrument), or with --broker per trade from OANDA now.
import type { Command } from "commander";
import { aggregatePnl, PNL_GROUPINGS, type PnlGroupBy, type PnlRow } from "../../ledger/index.ts";
import { writeStdout } from "../../runtime/runtime.ts";
import { CliError, EXIT_USAGE } from "../errors.ts";
import { parseIsoOption } from "../time-option.ts";
import type { JournalAccessOptions } from "./journal-access.ts";
import { BROKER_OPTION, brokerUnrealizedByTrade } from "./broker-unrealized.ts";
import { csv, textTable } from "../listing-format.ts";
import { money, readLedger } from "./ledger-read.ts";
import { parseScopeOptions } from "./scope-options.ts";

interface PnlOptions extends JournalAccessOptions {
  by?: string; from?: string; to?: string; account?: string; mode?: string; json?: boolean; csv?: boolean; broker?: boolean;
}

const ROW_COLUMNS: (keyof PnlRow)[] = ["key", "realized", "financing", "fees", "net", "unrealized", "trades", "wins", "losses", "winRate", "profitFactor", "maxDrawdown"];

export function registerPnl(program: Command): void {
  program
    .command("pnl")
    .description("print realized P/L, financing, unrealized P/L, trades, win rate, profit factor and max drawdown by day, pocket, strategy or instrument")
    .option("--db <path>", "journal file to read (default: DB_PATH, ./data/orders.db)")
    .option("--remote <url>", "read the Turso replica at this URL instead")
    .option("--token <token>", "Turso auth token for --remote (default: TURSO_AUTH_TOKEN)")
    .option("--cache <path>", "local cache file for --remote (default: ~/.cache/sekisho/replicas/<host>.db)")
    .option("--by <grouping>", `one of ${PNL_GROUPINGS.join(", ")} (day = OANDA's trading day, ending 17:00 New York)`, "day")
    .option("--from <iso>", "only P/L at or after this ISO-8601 time")
    .option("--to <iso>", "only P/L before this ISO-8601 time")
    .option("--account <id>", "the OANDA account (needed when the journal holds several)")
    .option("--mode <mode>", "only the account traded in this mode: paper, practice or live")
    .option("--json", "print the report as JSON")
    .option("--csv", "print CSV: a header line, one line per group and the total")
    .option(...BROKER_OPTION)
    .action(async (opts: PnlOptions) => {
      if (opts.json && opts.csv) throw new CliError("choose one of --json and --csv", EXIT_USAGE);
      const by = (opts.by ?? "day").trim().toLowerCase();
      if (!(PNL_GROUPINGS as readonly string[]).includes(by)) throw new CliError(`--by must be one of ${PNL_GROUPINGS.join(", ")} (got ${opts.by})`, EXIT_USAGE);
      const from = parseIsoOption("--from", opts.from);
      const to = parseIsoOption("--to", opts.to);
      const { source, ledger } = await readLedger(opts, parseScopeOptions(opts));
      const now = new Date().toISOString();
      const byTrade = opts.broker ? await brokerUnrealizedByTrade(source.accountId) : undefined;
      const report = aggregatePnl(ledger, by as PnlGroupBy, {
        from, to, now,
        ...(byTrade ? { unrealizedByTrade: byTrade } : source.snapshot ? { unrealizedByInstrument: source.snapshot.unrealizedByInstrument } : {}),
      });
      const out = {
        ...report, accountId: source.accountId ?? null,
        unrealizedSource: byTrade ? "broker" : source.snapshot ? "snapshot" : "none",
        unrealizedAsOf: byTrade ? now : source.snapshot?.ts ?? null,
      };
      if (opts.json) return writeStdout(`${JSON.stringify(out, null, 2)}\n`);
      const rows = [...report.rows, report.total];
      if (opts.csv) return writeStdout(csv(ROW_COLUMNS, rows.map((r) => ROW_COLUMNS.map((c) => r[c]))));
      if (report.rows.length === 0 && report.total.trades === 0) return writeStdout("no P/L yet\n");
      const pct = (x: number | null) => (x === null ? "-" : `${Math.round(x * 1000) / 10}%`);
      const cols = [
        { title: by.toUpperCase() }, { title: "REALIZED", right: true }, { title: "FINANCING", right: true }, { title: "FEES", right: true },
        { title: "NET", right: true }, { title: "UNREALIZED", right: true }, { title: "TRADES", right: true }, { title: "WIN%", right: true },
        { title: "PF", right: true }, { title: "MAX DD", right: true },
      ];
      const text = textTable(cols, rows.map((r) => [
        r.key, money(r.realized), money(r.financing), money(r.fees), money(r.net), money(r.unrealized), String(r.trades), pct(r.winRate),
        r.profitFactor === null ? "-" : r.profitFactor.toFixed(2), money(r.maxDrawdown),
      ]));
      const whence = byTrade ? "per open trade, from OANDA" : "latest account snapshot";
      const note = out.unrealizedAsOf ? `account ${out.accountId}; unrealized as of ${out.unrealizedAsOf} (${whence})\n` : `account ${out.accountId ?? "-"}\n`;
      writeStdout(text + note);
    });
}
