// Loading and validating configuration once, at start. Environment wins over `.env`.
import { parse as parseDotenv } from "dotenv";
import { CONFIG_KEYS, type Config, configSchema, SECRET_KEYS } from "./schema.ts";
import { MARGIN_USAGE_CEILING } from "../margin/model.ts";
import type { RunMode } from "../core/types.ts";

/** A bad setting: the message is one line naming the variable, the problem and the range. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export interface LoadedConfig {
  config: Config;
  /** Human-readable notes such as the MAX_MARGIN_USAGE clamp. */
  notices: string[];
}

/** Parse `.env` text (no interpolation, no side effects on the process environment). */
export function parseEnvFile(text: string): Record<string, string> {
  return parseDotenv(text);
}

/**
 * Validate raw variables. Only names the schema knows are read; the first problem throws a
 * ConfigError naming the variable (what an operator needs to fix it) and nothing starts.
 */
export function parseConfig(raw: Record<string, string | undefined>): LoadedConfig {
  const input: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const v = raw[key];
    // An empty value (`HTTP_PORT=` in .env or compose) means "not set": without this, numbers
    // coerce "" to 0, which would silently turn MIN_FREE_MARGIN_RATIO or a cooldown off.
    if (v !== undefined && v.trim() !== "") input[key] = v;
  }
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "config");
    const value = input[variable];
    const shown = value === undefined ? "" : (SECRET_KEYS as readonly string[]).includes(variable) ? " (value hidden)" : ` ${JSON.stringify(value)}`;
    throw new ConfigError(variable, `invalid ${variable}${shown}: ${issue.message}`);
  }
  const config = result.data;
  const notices: string[] = [];
  if (config.MAX_MARGIN_USAGE > MARGIN_USAGE_CEILING) {
    notices.push(`MAX_MARGIN_USAGE=${config.MAX_MARGIN_USAGE} is clamped to ${MARGIN_USAGE_CEILING}`);
  }
  if ((config.OANDA_TOKEN === undefined) !== (config.OANDA_ACCOUNT_ID === undefined)) {
    const missing = config.OANDA_TOKEN === undefined ? "OANDA_TOKEN" : "OANDA_ACCOUNT_ID";
    throw new ConfigError(missing, `missing ${missing}: OANDA_TOKEN and OANDA_ACCOUNT_ID must be set together (neither for paper mode)`);
  }
  if ((config.TURSO_DATABASE_URL === undefined) !== (config.TURSO_AUTH_TOKEN === undefined)) {
    const missing = config.TURSO_DATABASE_URL === undefined ? "TURSO_DATABASE_URL" : "TURSO_AUTH_TOKEN";
    throw new ConfigError(missing, `missing ${missing}: TURSO_DATABASE_URL and TURSO_AUTH_TOKEN must be set together`);
  }
  if (config.POCKET_RULES !== undefined) {
    try {
      const parsed = JSON.parse(config.POCKET_RULES);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    } catch {
      throw new ConfigError("POCKET_RULES", `invalid POCKET_RULES: expected a JSON object such as {"scalp_fast":{"cooldownSec":10}}`);
    }
  }
  if (config.HEDGE_MIN_HEDGE_UNITS > config.HEDGE_MAX_HEDGE_UNITS) {
    throw new ConfigError("HEDGE_MIN_HEDGE_UNITS", `invalid HEDGE_MIN_HEDGE_UNITS ${config.HEDGE_MIN_HEDGE_UNITS}: must not exceed HEDGE_MAX_HEDGE_UNITS (${config.HEDGE_MAX_HEDGE_UNITS})`);
  }
  return { config, notices };
}

/** Merge `.env` text under the real environment (environment wins), then validate. */
export function loadConfig(env: Record<string, string | undefined>, dotenvText?: string): LoadedConfig {
  const fromFile = dotenvText ? parseEnvFile(dotenvText) : {};
  // An empty environment variable is "not set" here too, so it does not hide the file's value.
  const setInEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  return parseConfig({ ...fromFile, ...setInEnv });
}

/** The mode a configuration runs in. Live needs OANDA_ENV=live and the --live flag. */
export function runModeOf(config: Config): RunMode {
  if (!config.OANDA_TOKEN) return "paper";
  return config.OANDA_ENV === "live" ? "live" : "practice";
}

/** Effective configuration with every secret replaced; safe to print or serve. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const k of SECRET_KEYS) if (out[k] !== undefined) out[k] = "[redacted]";
  if (typeof out.TURSO_DATABASE_URL === "string") out.TURSO_DATABASE_URL = redactUrl(out.TURSO_DATABASE_URL);
  out.MAX_MARGIN_USAGE_EFFECTIVE = Math.min(config.MAX_MARGIN_USAGE, MARGIN_USAGE_CEILING);
  return out;
}

/** URLs may carry credentials in userinfo or an authToken query: keep the host, drop the rest. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = "redacted";
      u.password = "";
    }
    for (const k of [...u.searchParams.keys()]) if (/token|key|secret|auth/i.test(k)) u.searchParams.set(k, "redacted");
    return u.toString();
  } catch {
    return "[unparseable url]";
  }
}
