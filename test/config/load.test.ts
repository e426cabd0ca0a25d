// Loading configuration: .env under the environment, the 0.92 clamp, one clear error per bad
// value naming the variable and its range, and secrets that never leave in errors or output.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig, redactedConfig, runModeOf } from "../../src/config/load.ts";
import { CONFIG_KEYS, type ConfigKey } from "../../src/config/schema.ts";

/** Every secret set to a value that is easy to spot if it ever leaks. */
const SECRETS = {
  OANDA_TOKEN: "oanda-SECRET-token-1",
  OANDA_ACCOUNT_ID: "101-009-1-001",
  TURSO_DATABASE_URL: "libsql://user:pw-SECRET-3@db.example.turso.io/?authToken=SECRET-4",
  TURSO_AUTH_TOKEN: "turso-SECRET-2",
  CONTROL_TOKEN: "control-SECRET-5",
};
const leaks = (text: string) => /SECRET/.test(text);

function configError(raw: Record<string, string>): ConfigError {
  try {
    parseConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(raw)}`);
}

describe(".env and the environment", () => {
  it("reads variables from .env text", () => {
    const { config } = loadConfig({}, "MAX_MARGIN_USAGE=0.5\n# a comment\nINSTRUMENTS=EUR_USD\n");
    expect(config.MAX_MARGIN_USAGE).toBe(0.5);
    expect(config.INSTRUMENTS).toEqual(["EUR_USD"]);
  });

  it("the environment wins over .env", () => {
    const { config } = loadConfig({ MAX_MARGIN_USAGE: "0.7" }, "MAX_MARGIN_USAGE=0.5\nDIR_CAP_RATIO=0.5\n");
    expect(config.MAX_MARGIN_USAGE).toBe(0.7);
    expect(config.DIR_CAP_RATIO).toBe(0.5);
  });

  it("a bad value in .env is reported like one in the environment", () => {
    expect(() => loadConfig({}, "HTTP_PORT=eighty\n")).toThrow(ConfigError);
  });

  it("an empty value means unset: the default applies, never a silent 0", () => {
    const { config } = parseConfig({ MIN_FREE_MARGIN_RATIO: "", HTTP_PORT: " ", HEDGE_COOLDOWN_SEC: "", HEDGE_BALANCER_ENABLED: "" });
    expect(config.MIN_FREE_MARGIN_RATIO).toBe(0.01);
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.HEDGE_COOLDOWN_SEC).toBe(20);
    expect(config.HEDGE_BALANCER_ENABLED).toBe(true);
  });

  it("an empty environment variable does not hide the .env value", () => {
    const { config } = loadConfig({ DIR_CAP_RATIO: "" }, "DIR_CAP_RATIO=0.5\n");
    expect(config.DIR_CAP_RATIO).toBe(0.5);
  });

  it("variables the schema does not know are ignored", () => {
    const { config } = parseConfig({ PATH: "/usr/bin", SOMETHING_ELSE: "x" });
    expect(config).not.toHaveProperty("PATH");
  });
});

describe("MAX_MARGIN_USAGE clamp", () => {
  it("0.95 is accepted, reported as clamped to 0.92, and 0.92 is what takes effect", () => {
    const { config, notices } = parseConfig({ MAX_MARGIN_USAGE: "0.95" });
    expect(notices).toEqual(["MAX_MARGIN_USAGE=0.95 is clamped to 0.92"]);
    expect(redactedConfig(config).MAX_MARGIN_USAGE_EFFECTIVE).toBe(0.92);
  });

  it("0.92 and below give no notice", () => {
    expect(parseConfig({ MAX_MARGIN_USAGE: "0.92" }).notices).toEqual([]);
    expect(redactedConfig(parseConfig({ MAX_MARGIN_USAGE: "0.8" }).config).MAX_MARGIN_USAGE_EFFECTIVE).toBe(0.8);
  });
});

describe("bad values", () => {
  it.each<[string, string, RegExp]>([
    ["MAX_MARGIN_USAGE", "abc", /expected a number in \[0\.01, 1\]/],
    ["MAX_MARGIN_USAGE", "1.5", /expected a number in \[0\.01, 1\]/],
    ["MAX_MARGIN_USAGE", "Infinity", /expected a number in \[0\.01, 1\]/],
    ["MARGIN_SAFETY_FACTOR", "0", /expected a number in \[0\.1, 1\]/],
    ["HEDGE_TRIGGER_MARGIN_USAGE", "abc", /expected a number in \[0, 1\]/],
    ["HTTP_PORT", "70000", /expected a whole number in \[0, 65535\]/],
    ["HTTP_PORT", "80.5", /expected a whole number in \[0, 65535\]/],
    ["FAST_SCALP_MAX_SIGNAL_AGE_MS", "-1", /expected a whole number in \[1, 600000\]/],
    ["MARGIN_MODEL", "gross", /expected auto, net or max_side/],
    ["OANDA_ENV", "prod", /expected practice or live/],
    ["HEDGE_POCKET", "manual", /expected one of macro, micro, scalp, scalp_fast/],
    ["INSTRUMENTS", "USDJPY", /USD_JPY.*\(bad: USDJPY\)/],
    ["MICRO_STRATEGY_ALLOWLIST", "martingale", /unknown: martingale/],
    ["OANDA_REST_URL", "not a url", /absolute URL/],
    ["LOG_LEVEL", "verbose", /expected trace, debug, info, warn, error, fatal or silent/],
    ["POCKET_RULES", "[1,2]", /expected a JSON object/],
    ["HEDGE_MIN_HEDGE_UNITS", "100000", /must not exceed HEDGE_MAX_HEDGE_UNITS \(90000\)/],
  ])("%s=%j names the variable and the accepted range, in one line", (key, value, range) => {
    const e = configError({ ...SECRETS, [key]: value });
    expect(e.variable).toBe(key);
    expect(e.message).toContain(key);
    expect(e.message).toMatch(range);
    expect(e.message).not.toContain("\n");
    expect(leaks(e.message)).toBe(false);
  });

  const numeric = CONFIG_KEYS.filter((k) => typeof parseConfig({}).config[k] === "number");
  it.each(numeric)("%s: a word instead of a number names the variable and its [min, max]", (key) => {
    const e = configError({ [key]: "lots" });
    expect(e.variable).toBe(key);
    expect(e.message).toMatch(new RegExp(`^invalid ${key} "lots": expected a (whole )?number in \\[-?[\\d.]+, [\\d.]+\\]$`));
  });

  it("a credential without its partner names the missing one and never shows the secret", () => {
    const a = configError({ OANDA_TOKEN: SECRETS.OANDA_TOKEN });
    expect(a.variable).toBe("OANDA_ACCOUNT_ID");
    expect(leaks(a.message)).toBe(false);
    const b = configError({ TURSO_AUTH_TOKEN: SECRETS.TURSO_AUTH_TOKEN });
    expect(b.variable).toBe("TURSO_DATABASE_URL");
    expect(leaks(b.message)).toBe(false);
  });
});

describe("redaction and run mode", () => {
  const { config } = parseConfig(SECRETS);
  const shown = JSON.stringify(redactedConfig(config));

  it("redactedConfig never contains a secret value, including credentials inside the Turso URL", () => {
    expect(leaks(shown)).toBe(false);
    for (const k of ["OANDA_TOKEN", "TURSO_AUTH_TOKEN", "CONTROL_TOKEN"] as ConfigKey[]) {
      expect(redactedConfig(config)[k]).toBe("[redacted]");
    }
    // The host stays, so an operator can tell which database it is.
    expect(redactedConfig(config).TURSO_DATABASE_URL).toMatch(/^libsql:\/\/redacted@db\.example\.turso\.io\//);
  });

  it("keeps the non-secret values as they are", () => {
    const r = redactedConfig(config);
    expect(r.OANDA_ACCOUNT_ID).toBe("101-009-1-001");
    expect(r.MAX_MARGIN_USAGE).toBe(0.92);
  });

  it("an unset secret stays absent instead of showing [redacted]", () => {
    expect(redactedConfig(parseConfig({}).config).OANDA_TOKEN).toBeUndefined();
  });

  it("paper without credentials, practice with them, live with OANDA_ENV=live", () => {
    expect(runModeOf(parseConfig({}).config)).toBe("paper");
    expect(runModeOf(config)).toBe("practice");
    expect(runModeOf(parseConfig({ ...SECRETS, OANDA_ENV: "live" }).config)).toBe("live");
    // OANDA_ENV=live alone (no credentials) is still paper: nothing to trade with.
    expect(runModeOf(parseConfig({ OANDA_ENV: "live" }).config)).toBe("paper");
  });
});
