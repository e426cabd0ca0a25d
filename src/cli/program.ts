// The command tree. Each command lives in its own module under ./commands and registers itself.
import { Command, CommanderError } from "commander";
import { VERSION } from "../core/version.ts";
import { CliError, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE } from "./errors.ts";
import { writeStderr } from "../runtime/runtime.ts";
import { registerRun } from "./commands/run.ts";
import { registerCheck } from "./commands/check.ts";
import { registerSize } from "./commands/size.ts";
import { registerVersion } from "./commands/version.ts";
import { registerSim } from "./commands/sim.ts";
import { registerOrders } from "./commands/orders.ts";
import { registerReplay } from "./commands/replay.ts";
import { registerEvaluate } from "./commands/evaluate.ts";
import { registerDoctor } from "./commands/doctor.ts";
import { registerBackup } from "./commands/backup.ts";
import { registerTrades } from "./commands/trades.ts";
import { registerPnl } from "./commands/pnl.ts";
import { registerLedger } from "./commands/ledger.ts";
import { nearest } from "../config/near-names.ts";

/** After a usage error: one hint line, not a page of help (the error line must stay visible). */
const HELP_HINT = "(add --help for usage)";

export function buildProgram(): Command {
  const program = new Command("sekisho")
    .description("FX edge agent for OANDA v20: every order passes one margin-simulating gate (関所).\nWith no credentials it trades on paper against its built-in OANDA-compatible simulator.")
    .version(VERSION, "-V, --version", "print the version")
    .showHelpAfterError(HELP_HINT)
    .exitOverride();
  registerRun(program, true);
  registerSim(program);
  registerSize(program);
  registerOrders(program);
  registerTrades(program);
  registerPnl(program);
  registerLedger(program);
  registerBackup(program);
  registerCheck(program);
  registerReplay(program);
  registerEvaluate(program);
  registerVersion(program);
  registerDoctor(program);
  for (const c of program.commands) c.exitOverride().showHelpAfterError(HELP_HINT);
  return program;
}

/** Run the CLI and return the exit code (the caller exits; tests call this directly). */
export async function runCli(args: string[]): Promise<number> {
  const program = buildProgram();
  // `run` is the default command, so commander would read `sekisho versoin` as `run versoin` and
  // complain about run's arguments. A bare word first is always meant as a command.
  const first = args[0];
  if (first !== undefined && !first.startsWith("-")) {
    const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    if (!names.includes(first) && first !== "help") {
      const guess = nearest(first, names, Math.max(2, Math.floor(first.length / 3)));
      writeStderr(`sekisho: unknown command '${first}'${guess ? ` (did you mean ${guess}?)` : ` (commands: ${names.join(", ")})`}\n`);
      return EXIT_USAGE;
    }
  }
  try {
    await program.parseAsync(args, { from: "user" });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT_OK;
      return EXIT_USAGE; // commander already printed the one-line problem and the help hint
    }
    if (e instanceof CliError) {
      writeStderr(`sekisho: ${e.message}\n`);
      return e.exitCode;
    }
    writeStderr(`sekisho: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_RUNTIME;
  }
}
