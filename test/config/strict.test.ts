// Settings that cannot silently misfire (issue 12): a misspelt variable, a misspelt POCKET_RULES
// field, a hex number, a non-URL Turso address, a token cut by `#` in .env, and a live URL under
// OANDA_ENV=practice each stop start-up with one line naming the problem.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig, runModeOf, valuesCutAtHash } from "../../src/config/load.ts";
import { CONFIG_KEYS } from "../../src/config/schema.ts";
import { findUnknownVariable } from "../../src/config/unknown-variables.ts";
import { brokerEndpoints, endpointKind } from "../../src/config/endpoints.ts";
import { pocketRules } from "../../src/gate/pocket-rules.ts";

function refused(raw: Record<string, string>, dotenv?: string): ConfigError {
  try {
    if (dotenv === undefined) parseConfig(raw);
    else loadConfig(raw, dotenv);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(raw)}`);
}

const CREDS = { OANDA_TOKEN: "tok-SECRET-1234567890", OANDA_ACCOUNT_ID: "101-009-1-001" };

describe("variables that look like sekisho's but are not", () => {
  it.each<[string, string]>([
    ["MAX_MARGN_USAGE", "MAX_MARGIN_USAGE"],
    ["MAX_MARGIN_USAG", "MAX_MARGIN_USAGE"],
    ["HEDGE_COOLDOWN_SECS", "HEDGE_COOLDOWN_SEC"],
    ["FAST_SCALP_COOLDOWN", "FAST_SCALP_COOLDOWN_SEC"],
    ["HTTP_PROT", "HTTP_PORT"],
    ["max_margin_usage", "MAX_MARGIN_USAGE"],
    ["DB_PTAH", "DB_PATH"],
    ["TURSO_AUTH_TOKN", "TURSO_AUTH_TOKEN"],
    ["MAX_DAILY_LOSSES", "MAX_DAILY_LOSS"],
  ])("%s stops start-up: unknown variable ... (did you mean %s?)", (name, meant) => {
    const e = refused({ [name]: "0.5" });
    expect(e.variable).toBe(name);
    expect(e.message).toBe(`unknown variable ${name} (did you mean ${meant}?)`);
  });

  it("a name with one of sekisho's own prefixes is refused even when nothing is close", () => {
    const e = refused({ OANDA_SOMETHING_ELSE_ENTIRELY: "1" });
    expect(e.message).toMatch(/^unknown variable OANDA_SOMETHING_ELSE_ENTIRELY/);
    expect(e.message).not.toContain("\n");
  });

  it("a misspelling in .env is refused like one in the environment", () => {
    expect(refused({}, "MAX_MARGN_USAGE=0.5\n").message).toBe("unknown variable MAX_MARGN_USAGE (did you mean MAX_MARGIN_USAGE?)");
  });

  it("other programs' variables pass: PATH, HOME, HTTP_PROXY, TURSO_API_TOKEN, NODE_ENV, TERM, LANG", () => {
    const env = { PATH: "/bin", HOME: "/root", HTTP_PROXY: "http://p", HTTPS_PROXY: "http://p", NO_PROXY: "x", TURSO_API_TOKEN: "t", NODE_ENV: "production", TERM: "xterm", LANG: "C.UTF-8", USER: "me", SHELL: "/bin/sh", PWD: "/", HOSTNAME: "h", NO_COLOR: "1", INVOCATION_ID: "x", JOURNAL_STREAM: "x", DENO_DIR: "/d" };
    expect(findUnknownVariable(Object.keys(env), CONFIG_KEYS)).toBeUndefined();
    expect(() => parseConfig(env)).not.toThrow();
  });

  it("every real name passes", () => {
    expect(findUnknownVariable(CONFIG_KEYS, CONFIG_KEYS)).toBeUndefined();
  });
});

describe("POCKET_RULES is strict", () => {
  it.each<[string, RegExp]>([
    ['{"scalp_fast":{"cooldown":10}}', /^invalid POCKET_RULES: unknown field "cooldown" in pocket scalp_fast \(fields: cooldownSec, maxOpenTrades, maxUnitsPerSide\)$/],
    ['{"scalp_fastt":{"cooldownSec":10}}', /^invalid POCKET_RULES: unknown pocket "scalp_fastt"/],
    ['{"manual":{"maxOpenTrades":3}}', /^invalid POCKET_RULES: unknown pocket "manual"/],
    ['{"micro":{"maxOpenTrades":-1}}', /^invalid POCKET_RULES: pocket micro field maxOpenTrades/],
    ['{"micro":{"cooldownSec":"10"}}', /^invalid POCKET_RULES: pocket micro field cooldownSec/],
    ['{"micro":5}', /^invalid POCKET_RULES: pocket micro: expected an object/],
    ["{not json", /^invalid POCKET_RULES: expected a JSON object/],
  ])("%s is refused, naming the pocket or field", (json, message) => {
    const e = refused({ POCKET_RULES: json });
    expect(e.variable).toBe("POCKET_RULES");
    expect(e.message).toMatch(message);
  });

  it("a correct override takes effect and leaves the other fields at their defaults", () => {
    const { config } = parseConfig({ POCKET_RULES: '{"scalp_fast":{"cooldownSec":10}}' });
    const rules = pocketRules(config.POCKET_RULES);
    expect(rules.scalp_fast).toEqual({ cooldownSec: 10, maxOpenTrades: 3, maxUnitsPerSide: 30_000 });
  });
});

describe("numbers are decimal", () => {
  it.each(["0x10", "0b1", "0o7", "1_000", "Infinity", "1e", "--1", "12abc"])("HTTP_PORT=%s is refused", (v) => {
    const e = refused({ HTTP_PORT: v });
    expect(e.variable).toBe("HTTP_PORT");
    expect(e.message).toMatch(/expected a whole number in \[0, 65535\]/);
  });

  it("a hex value says decimal digits are expected", () => {
    expect(refused({ MAX_ORDER_UNITS: "0x10" }).message).toMatch(/written in decimal digits$/);
  });

  it.each<[string, number]>([["8080", 8080], [" 8081 ", 8081], ["+8082", 8082], ["8.083e3", 8083]])("HTTP_PORT=%j reads as %d", (v, n) => {
    expect(parseConfig({ HTTP_PORT: v }).config.HTTP_PORT).toBe(n);
  });
});

describe("TURSO_DATABASE_URL must be a URL", () => {
  it.each(["sekisho-me.turso.io", "file:./x.db", "libsql://", "not a url"])("%j is refused", (v) => {
    const e = refused({ TURSO_DATABASE_URL: v, TURSO_AUTH_TOKEN: "t" });
    expect(e.variable).toBe("TURSO_DATABASE_URL");
    expect(e.message).toMatch(/expected a URL such as libsql:\/\//);
  });

  it.each(["libsql://sekisho-me.turso.io", "http://127.0.0.1:8081", "https://db.example.com"])("%j is accepted", (v) => {
    expect(parseConfig({ TURSO_DATABASE_URL: v, TURSO_AUTH_TOKEN: "t" }).config.TURSO_DATABASE_URL).toBe(v);
  });
});

describe("# in an unquoted .env value", () => {
  it("finds values a # cuts, but not a separated comment or a quoted value", () => {
    expect(valuesCutAtHash("A=abc#def\nB=abc #c\nC=\"a#b\"\nD=#x\nE= # note\nF='x#y'\n")).toEqual(["A", "D"]);
  });

  it("a token cut by # is refused, saying why, without showing it", () => {
    const e = refused({}, "CONTROL_TOKEN=abcdefgh#ijklmnopqrstuvwxyz\n");
    expect(e.variable).toBe("CONTROL_TOKEN");
    expect(e.message).toBe('invalid CONTROL_TOKEN (value hidden): in .env an unquoted # starts a comment, so the value was cut to 8 characters; put it in quotes: CONTROL_TOKEN="..."');
    expect(e.message).not.toContain("abcdefgh");
  });

  it("the same token quoted is read whole", () => {
    expect(loadConfig({}, 'CONTROL_TOKEN="abcdefgh#ijklmnop"\n').config.CONTROL_TOKEN).toBe("abcdefgh#ijklmnop");
  });

  it("another value cut by # is reported as a notice", () => {
    const { notices, config } = loadConfig({}, "INSTRUMENTS=USD_JPY#EUR_USD\n");
    expect(config.INSTRUMENTS).toEqual(["USD_JPY"]);
    expect(notices.join("\n")).toMatch(/INSTRUMENTS in \.env: an unquoted # starts a comment/);
  });
});

describe("live is decided by where orders go", () => {
  it.each<[string, string]>([
    ["OANDA_REST_URL", "https://api-fxtrade.oanda.com"],
    ["OANDA_STREAM_URL", "https://stream-fxtrade.oanda.com"],
    ["OANDA_REST_URL", "https://oanda-proxy.example.com"],
    ["OANDA_REST_URL", "http://10.0.0.5:8080"],
  ])("%s=%s with OANDA_ENV=practice is refused: it needs OANDA_ENV=live and --live", (key, url) => {
    const e = refused({ ...CREDS, [key]: url });
    expect(e.variable).toBe(key);
    expect(e.message).toMatch(new RegExp(`^${key}=${url.replace(/[.]/g, "\\.")} is not a practice host .* set OANDA_ENV=live and start with --live`));
    expect(e.message).not.toContain("SECRET");
  });

  it("with OANDA_ENV=live the same URL runs as live (and run then needs --live)", () => {
    const { config } = parseConfig({ ...CREDS, OANDA_ENV: "live", OANDA_REST_URL: "https://api-fxtrade.oanda.com" });
    expect(runModeOf(config)).toBe("live");
  });

  it("practice hosts and loopback (the simulator) stay practice", () => {
    for (const url of ["https://api-fxpractice.oanda.com", "http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000"]) {
      const { config } = parseConfig({ ...CREDS, OANDA_REST_URL: url, OANDA_STREAM_URL: url });
      expect(runModeOf(config)).toBe("practice");
      expect(brokerEndpoints(config).live).toBe(false);
    }
  });

  it("without credentials (paper) the URLs are not used and not judged", () => {
    expect(runModeOf(parseConfig({ OANDA_REST_URL: "https://api-fxtrade.oanda.com" }).config)).toBe("paper");
  });

  it("kinds", () => {
    expect(endpointKind("https://api-fxtrade.oanda.com")).toBe("live");
    expect(endpointKind("https://API-FXPRACTICE.oanda.com/")).toBe("practice");
    expect(endpointKind("http://127.0.0.2:1")).toBe("loopback");
  });
});
