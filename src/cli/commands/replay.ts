import type { Command } from "commander";
import { CliError, EXIT_RUNTIME } from "../errors.ts";

// Placeholder until the replay command lands; it says so rather than pretending to work.
export function registerReplay(program: Command): void {
  program
    .command("replay")
    .description("(not built yet)")
    .allowUnknownOption()
    .action(() => {
      throw new CliError("replay is not built yet", EXIT_RUNTIME);
    });
}
