// Entry point for every runtime and for the compiled binary.
import { runCli } from "./cli/program.ts";
import { commandArgs, exitProcess, flushStdout, writeStderr } from "./runtime/runtime.ts";
import { startupMark } from "./runtime/startup-trace.ts";

// Every static import above has been evaluated by now: the first start-up step.
startupMark("modules_loaded");

const code = await runCli(commandArgs());
// Exit only once stdout has drained: a listing piped into a slow reader must arrive whole.
const outputError = await flushStdout();
if (outputError && code === 0) {
  writeStderr(`sekisho: standard output closed before everything was written (${(outputError as { code?: string }).code ?? outputError.message})\n`);
  exitProcess(1);
}
exitProcess(code);
