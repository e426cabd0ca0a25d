// Entry point for every runtime and for the compiled binary.
import { runCli } from "./cli/program.ts";
import { commandArgs, exitProcess } from "./runtime/runtime.ts";

const code = await runCli(commandArgs());
exitProcess(code);
