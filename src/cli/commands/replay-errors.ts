// How `replay` and `evaluate` report a failure: bad data or a bad scenario is a usage error
// (exit 2) that names it, a CLI error stays as it is, anything else is a runtime failure (exit 1).
import { ReplayInputError } from "../../marketdata/ticks.ts";
import { ScenarioError } from "../../sim/scenario.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE } from "../errors.ts";
import { errorMessage } from "../../core/error-message.ts";

export function replayFailure(command: "replay" | "evaluate", e: unknown, scenario: string | undefined): CliError {
  if (e instanceof ReplayInputError) return new CliError(e.message, EXIT_USAGE);
  if (e instanceof ScenarioError) return new CliError(`--scenario ${scenario ?? ""}: ${e.message}`, EXIT_USAGE);
  if (e instanceof CliError) return e;
  return new CliError(`${command} failed: ${errorMessage(e)}`, EXIT_RUNTIME);
}
