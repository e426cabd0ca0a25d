// Configuration as the CLI sees it: environment plus an optional ./.env, validated once.
import { ConfigError, loadConfig, type LoadedConfig } from "../config/load.ts";
import { environment } from "../runtime/runtime.ts";
import { readTextIfExists } from "../runtime/files.ts";
import { CliError, EXIT_USAGE } from "./errors.ts";

export function loadCliConfig(overrides: Record<string, string | undefined> = {}, envFile = ".env"): LoadedConfig {
  try {
    return loadConfig({ ...environment(), ...stripUndefined(overrides) }, readTextIfExists(envFile));
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, EXIT_USAGE);
    throw e;
  }
}

function stripUndefined(o: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
