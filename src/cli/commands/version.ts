import type { Command } from "commander";
import { VERSION } from "../../core/version.ts";
import { runtimeVersion, writeStdout } from "../../runtime/runtime.ts";

export function registerVersion(program: Command): void {
  program
    .command("version")
    .description("print sekisho's version and the runtime it runs on")
    .action(() => {
      writeStdout(`sekisho ${VERSION} (${runtimeVersion()})\n`);
    });
}
