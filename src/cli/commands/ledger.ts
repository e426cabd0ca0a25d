// `sekisho ledger import --from ID`: read the account's transactions from ID up to where the
// journal's ledger began (its cursor) from the broker and store them (src/reconcile/import.ts),
// so trades opened before sekisho first ran, and their P/L, appear in `trades`, `pnl` and the API.
// Read-only at the broker; needs the practice or live credentials the agent uses.
import type { Command } from "commander";
import { importLedgerHistory, LedgerImportError } from "../../reconcile/import.ts";
import { writeStdout } from "../../runtime/runtime.ts";
import { cliBrokerClient } from "../broker-client.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE, firstLine } from "../errors.ts";
import { openLocalJournal } from "./journal-access.ts";

export function registerLedger(program: Command): void {
  const ledger = program.command("ledger").description("the broker's transaction ledger mirrored in the journal");
  ledger
    .command("import")
    .description("store the account's transactions from --from up to where the journal's ledger began (read-only at the broker; safe to repeat, and while the agent runs)")
    .requiredOption("--from <id>", "the first OANDA transaction id to import (e.g. 1 for the account's whole history)")
    .option("--db <path>", "journal to import into (default: DB_PATH, ./data/orders.db)")
    .action(async (opts: { from: string; db?: string }) => {
      if (!/^[1-9][0-9]{0,15}$/.test(opts.from.trim())) throw new CliError(`--from must be an OANDA transaction id, a whole number >= 1 (got ${opts.from})`, EXIT_USAGE);
      const { config } = loadCliConfig();
      const { client, accountId } = cliBrokerClient(config, "ledger import reads the account at OANDA");
      const journal = await openLocalJournal(opts.db ?? config.DB_PATH);
      try {
        const r = await importLedgerHistory({ journal, accountId, from: Number(opts.from), fetchSince: (id, signal) => client.transactionsSinceId(id, signal) });
        const range = r.firstId === null ? "nothing before the ledger's start" : `ids ${r.firstId}-${r.lastId}`;
        writeStdout(`account ${accountId}: read ${r.read} transactions (${range}), stored ${r.stored} new; the ledger began after ${r.cursor}\n`);
      } catch (e) {
        if (e instanceof LedgerImportError) throw new CliError(e.message, EXIT_USAGE);
        throw new CliError(`ledger import failed: ${firstLine(e)}`, EXIT_RUNTIME);
      } finally {
        await journal.close();
      }
    });
}
