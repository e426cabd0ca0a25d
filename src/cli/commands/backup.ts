// `sekisho backup FILE`: the way to copy the journal. Copying orders.db with cp while the agent
// runs can copy a torn file, or miss what still sits in orders.db-wal; VACUUM INTO writes a
// consistent snapshot of the whole journal into one new self-contained file, safe while the
// agent writes. The copy is checked (PRAGMA quick_check) before the command says it is done.
import type { Command } from "commander";
import { absolutePath, fileExists, fileSize } from "../../runtime/files.ts";
import { writeStdout } from "../../runtime/runtime.ts";
import { inspectJournalFile } from "../../store/index.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE, firstLine } from "../errors.ts";
import { openLocalJournal } from "./journal-access.ts";

export function registerBackup(program: Command): void {
  program
    .command("backup")
    .description("copy the journal consistently into a new file (safe while the agent runs); the way to copy orders.db")
    .argument("<file>", "the new file to write (must not exist)")
    .option("--db <path>", "journal to copy (default: DB_PATH, ./data/orders.db)")
    .action(async (file: string, opts: { db?: string }) => {
      const path = opts.db ?? loadCliConfig().config.DB_PATH;
      if (!fileExists(path)) throw new CliError(`no journal at ${path} (set DB_PATH or pass --db)`, EXIT_USAGE);
      if (fileExists(file)) throw new CliError(`${file} exists; choose a new file name (a backup never overwrites)`, EXIT_USAGE);
      if (absolutePath(file) === absolutePath(path)) throw new CliError("the backup file must differ from the journal", EXIT_USAGE);
      const journal = await openLocalJournal(path);
      try {
        await journal.backup(file);
      } catch (e) {
        throw new CliError(`backup of ${path} to ${file} failed: ${firstLine(e)}`, EXIT_RUNTIME);
      } finally {
        await journal.close();
      }
      const copy = await inspectJournalFile(file).catch((e: unknown) => {
        throw new CliError(`the backup at ${file} does not open: ${firstLine(e)}`, EXIT_RUNTIME);
      });
      if (copy.problems.length > 0) throw new CliError(`the backup at ${file} fails quick_check: ${copy.problems[0]}`, EXIT_RUNTIME);
      const orders = copy.orders;
      writeStdout(`backed up ${path} to ${file}: ${orders} orders, ${fileSize(file)} bytes, quick_check ok\n`);
    });
}
