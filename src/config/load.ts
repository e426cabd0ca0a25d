// Loading and validating configuration once, at start. Environment wins over `.env`.
import { parse as parseDotenv } from "dotenv";
import { NamedError } from "../core/named-error.ts";
import { CONFIG_KEYS, type Config, configSchema, SECRET_KEYS } from "./schema.ts";
import { MARGIN_USAGE_CEILING } from "../margin/model.ts";
import type { RunMode } from "../core/types.ts";
import { findUnknownVariable, unknownVariableMessage } from "./unknown-variables.ts";
import { parsePocketRules } from "./pocket-rules.ts";
import { brokerEndpoints, LIVE_HOSTS, PRACTICE_HOSTS } from "./endpoints.ts";

/** A bad setting: the message is one line naming the variable, the problem and the range. */
export class ConfigError extends NamedError {
  constructor(readonly variable: string, message: string) {
    super("ConfigError", message);
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
  const unknown = findUnknownVariable(Object.keys(raw), CONFIG_KEYS);
  if (unknown) throw new ConfigError(unknown.name, unknownVariableMessage(unknown));
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
      parsePocketRules(config.POCKET_RULES);
    } catch (e) {
      throw new ConfigError("POCKET_RULES", `invalid POCKET_RULES: ${(e as Error).message}`);
    }
  }
  if (config.OANDA_TOKEN !== undefined && config.OANDA_ENV !== "live") {
    const where = brokerEndpoints(config);
    if (where.live) {
      const variable = where.rest === "live" ? "OANDA_REST_URL" : "OANDA_STREAM_URL";
      const url = where.rest === "live" ? where.restUrl : where.streamUrl;
      throw new ConfigError(variable, `${variable}=${url} is not a practice host (${PRACTICE_HOSTS.join(", ")}) nor loopback, so orders may reach a live account: set OANDA_ENV=live and start with --live (OANDA's live hosts: ${LIVE_HOSTS.join(", ")})`);
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
  const cut = dotenvText ? valuesCutAtHash(dotenvText).filter((k) => !(k in setInEnv)) : [];
  // A token cut short by a `#` is a different token: refuse it instead of failing at the broker.
  const secret = cut.find((k) => (SECRET_KEYS as readonly string[]).includes(k));
  if (secret) {
    const left = (fromFile[secret] ?? "").length;
    throw new ConfigError(secret, `invalid ${secret} (value hidden): in .env an unquoted # starts a comment, so the value was cut to ${left} character${left === 1 ? "" : "s"}; put it in quotes: ${secret}="..."`);
  }
  const loaded = parseConfig({ ...fromFile, ...setInEnv });
  for (const k of cut) loaded.notices.push(`${k} in .env: an unquoted # starts a comment, so the value read is ${JSON.stringify(fromFile[k] ?? "")}; quote the value if the # belongs to it`);
  return loaded;
}

/**
 * Names whose unquoted .env value holds a `#` that dotenv takes as the start of a comment
 * although nothing separates it from the value (`CONTROL_TOKEN=abc#def` reads as `abc`).
 */
export function valuesCutAtHash(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*=(.*)$/.exec(line);
    if (!m) continue;
    // `KEY= # note` is an empty value with a comment; `KEY=#abc` and `KEY=ab#c` lose a part.
    const value = m[2]!;
    if (/^\s*["'`]/.test(value)) continue;
    const at = value.indexOf("#");
    if (at === 0 || (at > 0 && !/\s/.test(value[at - 1]!))) out.push(m[1]!);
  }
  return out;
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
