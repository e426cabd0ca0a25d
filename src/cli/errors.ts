import { errorMessage } from "../core/error-message.ts";

// Exit codes are a contract: 0 ok, 2 bad usage or bad config, 1 runtime failure.
export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** An error the CLI reports as one line and a given exit code, never as a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = "CliError";
  }
}

/** An error's first line: the CLI's one-line errors never carry a driver's multi-line detail. */
export function firstLine(e: unknown): string {
  return errorMessage(e).split("\n")[0]!;
}
