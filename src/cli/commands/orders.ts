import type { Command } from "commander";
import { CliError, EXIT_RUNTIME } from "../errors.ts";

// Placeholder until the orders command lands; it says so rather than pretending to work.
export function registerOrders(program: Command): void {
  program
    .command("orders")
    .description("(not built yet)")
    .allowUnknownOption()
    .action(() => {
      throw new CliError("orders is not built yet", EXIT_RUNTIME);
    });
}
