// A JSON file named on the command line: missing or malformed is one line and exit 2.
import { fileExists, readText } from "../runtime/files.ts";
import { CliError, EXIT_USAGE } from "./errors.ts";
import { errorMessage } from "../core/error-message.ts";

export function readJsonFile(path: string, flag: string): unknown {
  if (!fileExists(path)) throw new CliError(`${flag} ${path}: file not found`, EXIT_USAGE);
  try {
    return JSON.parse(readText(path));
  } catch (e) {
    throw new CliError(`${flag} ${path}: not valid JSON (${errorMessage(e)})`, EXIT_USAGE);
  }
}
