import type { Command } from "commander";
import { CliError, EXIT_RUNTIME } from "../errors.ts";

// Placeholder until the sim command lands; it says so rather than pretending to work.
export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("(not built yet)")
    .allowUnknownOption()
    .action(() => {
      throw new CliError("sim is not built yet", EXIT_RUNTIME);
    });
}
