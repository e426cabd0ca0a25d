// Entry point for every runtime and for the compiled binary.
import { runCli } from "./cli/program.ts";
import { commandArgs, exitProcess, flushStdout, writeStderr } from "./runtime/runtime.ts";

// Each command's own modules are imported when it runs (src/cli/program.ts), which marks the
// first start-up step (modules_loaded) once they are evaluated.
const code = await runCli(commandArgs());
// Exit only once stdout has drained: a listing piped into a slow reader must arrive whole.
const outputError = await flushStdout();
if (outputError && code === 0) {
  writeStderr(`sekisho: standard output closed before everything was written (${(outputError as { code?: string }).code ?? outputError.message})\n`);
  exitProcess(1);
}
exitProcess(code);
