// The command tree. Each command lives in its own module under ./commands and registers itself.
import { Command, CommanderError } from "commander";
import { VERSION } from "../core/version.ts";
import { CliError, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE } from "./errors.ts";
import { writeStderr } from "../runtime/runtime.ts";
import { nearest } from "../config/near-names.ts";
import { startupMark } from "../runtime/startup-trace.ts";
import { errorMessage } from "../core/error-message.ts";

type Register = (program: Command) => void;

/**
 * Every command, in the order `--help` lists them, and how to load the module that registers it.
 * A command's module (and all it imports: the agent and the HTTP app, replay, the ledger, the
 * database drivers) is imported only when that command runs, so `sekisho run` evaluates none of
 * replay's modules and `sekisho orders` none of the agent's: less start-up time and resident
 * memory for each (docs/build.md, "Start-up and memory").
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Register>]> = [
  ["run", async () => { const m = await import("./commands/run.ts"); return (p) => m.registerRun(p, true); }],
  ["sim", async () => (await import("./commands/sim.ts")).registerSim],
  ["size", async () => (await import("./commands/size.ts")).registerSize],
  ["orders", async () => (await import("./commands/orders.ts")).registerOrders],
  ["trades", async () => (await import("./commands/trades.ts")).registerTrades],
  ["pnl", async () => (await import("./commands/pnl.ts")).registerPnl],
  ["ledger", async () => (await import("./commands/ledger.ts")).registerLedger],
  ["backup", async () => (await import("./commands/backup.ts")).registerBackup],
  ["check", async () => (await import("./commands/check.ts")).registerCheck],
  ["replay", async () => (await import("./commands/replay.ts")).registerReplay],
  ["evaluate", async () => (await import("./commands/evaluate.ts")).registerEvaluate],
  ["version", async () => (await import("./commands/version.ts")).registerVersion],
  ["doctor", async () => (await import("./commands/doctor.ts")).registerDoctor],
];

export const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);

/**
 * Which commands `args` needs registered: the one it names (also as `help <command>`), `run`
 * when it names none (the default command, maybe with options), every command for the top-level
 * help and version (the help lists them all, with their options and arguments). A word first
 * that names no command never gets here (runCli refuses it).
 */
export function commandsFor(args: readonly string[]): readonly string[] {
  const [first, second] = args;
  if (first === undefined) return ["run"];
  if (COMMAND_NAMES.includes(first)) return [first];
  if (first === "help") return second !== undefined && COMMAND_NAMES.includes(second) ? [second] : COMMAND_NAMES;
  // Options before any command: commander answers --help and --version at the top level.
  if (args.some((a) => ["-h", "--help", "-V", "--version"].includes(a))) return COMMAND_NAMES;
  return ["run"];
}

/** After a usage error: one hint line, not a page of help (the error line must stay visible). */
const HELP_HINT = "(add --help for usage)";

/** The command tree with the commands `names` registered (all of them by default). */
export async function buildProgram(names: readonly string[] = COMMAND_NAMES): Promise<Command> {
  const program = new Command("sekisho")
    .description("FX edge agent for OANDA v20: every order passes one margin-simulating gate (関所).\nWith no credentials it trades on paper against its built-in OANDA-compatible simulator.")
    .version(VERSION, "-V, --version", "print the version")
    .showHelpAfterError(HELP_HINT)
    .exitOverride();
  const registers = await Promise.all(COMMANDS.filter(([name]) => names.includes(name)).map(([, load]) => load()));
  for (const register of registers) register(program);
  for (const c of program.commands) c.exitOverride().showHelpAfterError(HELP_HINT);
  return program;
}

/** Run the CLI and return the exit code (the caller exits; tests call this directly). */
export async function runCli(args: string[]): Promise<number> {
  // `run` is the default command, so commander would read `sekisho versoin` as `run versoin` and
  // complain about run's arguments. A bare word first is always meant as a command.
  const first = args[0];
  if (first !== undefined && !first.startsWith("-") && !COMMAND_NAMES.includes(first) && first !== "help") {
    const names = COMMAND_NAMES;
    const guess = nearest(first, names, Math.max(2, Math.floor(first.length / 3)));
    writeStderr(`sekisho: unknown command '${first}'${guess ? ` (did you mean ${guess}?)` : ` (commands: ${names.join(", ")})`}\n`);
    return EXIT_USAGE;
  }
  const program = await buildProgram(commandsFor(args));
  // Every module the command needs has been evaluated by now: the first start-up step.
  startupMark("modules_loaded");
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
    writeStderr(`sekisho: ${errorMessage(e)}\n`);
    return EXIT_RUNTIME;
  }
}
