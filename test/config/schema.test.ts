// Every variable in src/config/schema.ts parses from a string (as the environment gives it), and
// the defaults are the memo's and design.md's.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { CONFIG_KEYS, configSchema, type ConfigKey } from "../../src/config/schema.ts";

/** One non-default value per variable, as text, and what the program must make of it. */
const SAMPLES: Partial<Record<ConfigKey, [string, unknown]>> = {
  OANDA_TOKEN: [" tok-123 ", "tok-123"],
  OANDA_ACCOUNT_ID: ["101-009-1234567-001", "101-009-1234567-001"],
  OANDA_ENV: ["live", "live"],
  OANDA_REST_URL: ["http://127.0.0.1:9999/", "http://127.0.0.1:9999"],
  OANDA_STREAM_URL: ["https://stream.example:8443/", "https://stream.example:8443"],
  OANDA_REQUEST_TIMEOUT_MS: ["2500", 2500],
  STREAM_HEARTBEAT_TIMEOUT_MS: ["20000", 20_000],
  ACCOUNT_REFRESH_SEC: ["2.5", 2.5],
  INSTRUMENTS: ["usd_jpy, EUR_USD,USD_JPY", ["USD_JPY", "EUR_USD"]],
  MAX_MARGIN_USAGE: ["0.8", 0.8],
  MARGIN_SAFETY_FACTOR: ["0.85", 0.85],
  ALLOW_HEDGE_ON_LOW_MARGIN: ["0", false],
  MIN_FREE_MARGIN_RATIO: ["0.005", 0.005],
  DIR_CAP_RATIO: ["0.5", 0.5],
  MARGIN_MODEL: ["net", "net"],
  GATE_SLIPPAGE_PIPS: ["2", 2],
  GATE_MAX_PRICE_AGE_MS: ["5000", 5000],
  GATE_MAX_SPREAD_PIPS: ["3.5", 3.5],
  SIGNAL_TTL_MS: ["3000", 3000],
  SIGNAL_BUS_CAPACITY: ["64", 64],
  ORDER_TIMEOUT_MS: ["15000", 15_000],
  POCKET_RULES: ['{"scalp_fast":{"cooldownSec":10}}', '{"scalp_fast":{"cooldownSec":10}}'],
  FAST_SCALP_ENABLED: ["off", false],
  FAST_SCALP_MAX_SPREAD_PIPS: ["1.2", 1.2],
  FAST_SCALP_MAX_SIGNAL_AGE_MS: ["8000", 8000],
  FAST_SCALP_WINDOW_SEC: ["30", 30],
  FAST_SCALP_MIN_TICKS: ["10", 10],
  FAST_SCALP_MOMENTUM_SPREAD_MULT: ["1.5", 1.5],
  FAST_SCALP_MOMENTUM_RANGE_FRAC: ["0.5", 0.5],
  FAST_SCALP_PATTERN_GATE: ["no", false],
  FAST_SCALP_SPIKE_MULT: ["5", 5],
  FAST_SCALP_COOLDOWN_SEC: ["10", 10],
  FAST_SCALP_MAX_ORDERS_PER_MIN: ["3", 3],
  FAST_SCALP_UNITS: ["5000", 5000],
  FAST_SCALP_TP_PIPS: ["2.5", 2.5],
  FAST_SCALP_SL_PIPS: ["3.5", 3.5],
  FAST_SCALP_POCKET: ["scalp", "scalp"],
  MICRO_MULTISTRAT_ENABLED: ["FALSE", false],
  MICRO_STRATEGY_ALLOWLIST: ["range_break, VWAP_BAND", ["range_break", "vwap_band"]],
  MICRO_UNITS: ["2000", 2000],
  MICRO_TP_PIPS: ["10", 10],
  MICRO_SL_PIPS: ["7", 7],
  MICRO_POCKET: ["scalp", "scalp"],
  HEDGE_BALANCER_ENABLED: ["No", false],
  HEDGE_BALANCER_INTERVAL_SEC: ["3", 3],
  HEDGE_TRIGGER_MARGIN_USAGE: ["0.9", 0.9],
  HEDGE_TARGET_MARGIN_USAGE: ["0.8", 0.8],
  HEDGE_TRIGGER_FREE_MARGIN_RATIO: ["0.1", 0.1],
  HEDGE_MIN_NET_UNITS: ["20000", 20_000],
  HEDGE_MIN_HEDGE_UNITS: ["5000", 5000],
  HEDGE_MAX_HEDGE_UNITS: ["80000", 80_000],
  HEDGE_MAX_REDUCTION_FRACTION: ["0.5", 0.5],
  HEDGE_COOLDOWN_SEC: ["30", 30],
  HEDGE_POCKET: ["micro", "micro"],
  HEDGE_CONFIDENCE: ["80", 80],
  HEDGE_SL_PIPS: ["6", 6],
  HEDGE_TP_PIPS: ["7", 7],
  HEDGE_MIN_PRICE: ["80", 80],
  DB_PATH: ["/var/lib/sekisho/orders.db", "/var/lib/sekisho/orders.db"],
  TURSO_DATABASE_URL: ["libsql://db.example.turso.io", "libsql://db.example.turso.io"],
  TURSO_AUTH_TOKEN: ["turso-secret", "turso-secret"],
  REPLICA_PUSH_INTERVAL_SEC: ["10", 10],
  REPLICA_PATH: ["/tmp/replica.db", "/tmp/replica.db"],
  METRICS_RETENTION_DAYS: ["30", 30],
  HTTP_HOST: ["0.0.0.0", "0.0.0.0"],
  HTTP_PORT: ["0", 0],
  CONTROL_TOKEN: ["ctl-secret", "ctl-secret"],
  HTTP_BODY_LIMIT_BYTES: ["1024", 1024],
  SIM_SPEED: ["10", 10],
  SIM_SCENARIO: ["trend", "trend"],
  LOG_LEVEL: ["debug", "debug"],
};

/** Variables that are set in pairs; a sample of one brings its partner. */
const PARTNERS: Partial<Record<ConfigKey, Record<string, string>>> = {
  OANDA_TOKEN: { OANDA_ACCOUNT_ID: "101-1" },
  OANDA_ACCOUNT_ID: { OANDA_TOKEN: "t" },
  TURSO_DATABASE_URL: { TURSO_AUTH_TOKEN: "t" },
  TURSO_AUTH_TOKEN: { TURSO_DATABASE_URL: "libsql://x.example" },
};

describe("every configuration variable parses from a string", () => {
  it.each(Object.entries(SAMPLES))("%s", (key, sample) => {
    const [text, expected] = sample!;
    const { config } = parseConfig({ ...PARTNERS[key as ConfigKey], [key]: text });
    expect(config[key as ConfigKey]).toEqual(expected);
  });

  it("the sample table names only variables the schema has", () => {
    for (const key of Object.keys(SAMPLES)) expect(CONFIG_KEYS).toContain(key);
  });

  // Variables added to the schema after this table was written: their default, written out as
  // text the way an operator would, must parse back to itself.
  const unlisted = CONFIG_KEYS.filter((k) => !(k in SAMPLES));
  it.each(unlisted.length ? unlisted : ["(none)"])("default of %s round-trips through its text form", (key) => {
    if (key === "(none)") return;
    const def = parseConfig({}).config[key as ConfigKey];
    if (def === undefined) return; // optional without default: "unset" is its only default
    const text = Array.isArray(def) ? def.join(",") : String(def);
    expect(parseConfig({ ...PARTNERS[key as ConfigKey], [key]: text }).config[key as ConfigKey]).toEqual(def);
  });
});

describe("defaults (the memo and design.md)", () => {
  const { config, notices } = parseConfig({});

  it("match the memo for the margin rules", () => {
    expect(config.MAX_MARGIN_USAGE).toBe(0.92);
    expect(config.MARGIN_SAFETY_FACTOR).toBe(0.9);
    expect(config.ALLOW_HEDGE_ON_LOW_MARGIN).toBe(true);
    expect(config.MIN_FREE_MARGIN_RATIO).toBe(0.01);
    expect(config.DIR_CAP_RATIO).toBe(1.0);
    expect(config.MARGIN_MODEL).toBe("auto");
    expect(notices).toEqual([]);
  });

  it("match the memo for the workers; the entry workers ship off (they lost after costs out of sample), the balancer on", () => {
    expect(config.FAST_SCALP_MAX_SIGNAL_AGE_MS).toBe(6000);
    expect(config.FAST_SCALP_ENABLED).toBe(false);
    expect(config.MICRO_MULTISTRAT_ENABLED).toBe(false);
    expect(config.HEDGE_BALANCER_ENABLED).toBe(true);
  });

  it("match design.md for all the HEDGE_* variables", () => {
    expect({
      interval: config.HEDGE_BALANCER_INTERVAL_SEC,
      trigger: config.HEDGE_TRIGGER_MARGIN_USAGE,
      target: config.HEDGE_TARGET_MARGIN_USAGE,
      freeTrigger: config.HEDGE_TRIGGER_FREE_MARGIN_RATIO,
      minNet: config.HEDGE_MIN_NET_UNITS,
      minHedge: config.HEDGE_MIN_HEDGE_UNITS,
      maxHedge: config.HEDGE_MAX_HEDGE_UNITS,
      maxReduction: config.HEDGE_MAX_REDUCTION_FRACTION,
      cooldown: config.HEDGE_COOLDOWN_SEC,
      pocket: config.HEDGE_POCKET,
      confidence: config.HEDGE_CONFIDENCE,
      sl: config.HEDGE_SL_PIPS,
      tp: config.HEDGE_TP_PIPS,
      minPrice: config.HEDGE_MIN_PRICE,
    }).toEqual({
      interval: 7, trigger: 0.88, target: 0.82, freeTrigger: 0.08, minNet: 15_000, minHedge: 10_000, maxHedge: 90_000,
      maxReduction: 0.55, cooldown: 20, pocket: "macro", confidence: 90, sl: 5, tp: 5, minPrice: 90,
    });
  });

  it("all fourteen HEDGE_* names of the memo exist in the schema", () => {
    const memo = [
      "HEDGE_BALANCER_ENABLED", "HEDGE_TRIGGER_MARGIN_USAGE", "HEDGE_TARGET_MARGIN_USAGE", "HEDGE_TRIGGER_FREE_MARGIN_RATIO",
      "HEDGE_MIN_NET_UNITS", "HEDGE_MIN_HEDGE_UNITS", "HEDGE_MAX_HEDGE_UNITS", "HEDGE_MAX_REDUCTION_FRACTION", "HEDGE_COOLDOWN_SEC",
      "HEDGE_POCKET", "HEDGE_CONFIDENCE", "HEDGE_SL_PIPS", "HEDGE_TP_PIPS", "HEDGE_MIN_PRICE",
    ];
    expect(memo).toHaveLength(14);
    for (const k of memo) expect(Object.keys(configSchema.shape)).toContain(k);
  });

  it("match design.md for the broker, HTTP and store", () => {
    expect(config.HTTP_HOST).toBe("127.0.0.1");
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.DB_PATH).toBe("./data/orders.db");
    expect(config.INSTRUMENTS).toEqual(["USD_JPY"]);
    expect(config.OANDA_ENV).toBe("practice");
    expect(config.LOG_LEVEL).toBe("info");
  });

  it("leave every credential unset, so the default is paper mode", () => {
    expect(config.OANDA_TOKEN).toBeUndefined();
    expect(config.OANDA_ACCOUNT_ID).toBeUndefined();
    expect(config.TURSO_DATABASE_URL).toBeUndefined();
    expect(config.TURSO_AUTH_TOKEN).toBeUndefined();
    expect(config.CONTROL_TOKEN).toBeUndefined();
  });
});

describe("booleans", () => {
  const TRUE = ["1", "true", "on", "yes", "TRUE", "On", "YES", " yes "];
  const FALSE = ["0", "false", "off", "no", "FALSE", "Off", "NO", "No"];

  it.each(TRUE)("%j is true", (v) => {
    expect(parseConfig({ ALLOW_HEDGE_ON_LOW_MARGIN: v }).config.ALLOW_HEDGE_ON_LOW_MARGIN).toBe(true);
    expect(parseConfig({ FAST_SCALP_ENABLED: v }).config.FAST_SCALP_ENABLED).toBe(true);
  });

  it.each(FALSE)("%j is false", (v) => {
    expect(parseConfig({ ALLOW_HEDGE_ON_LOW_MARGIN: v }).config.ALLOW_HEDGE_ON_LOW_MARGIN).toBe(false);
    expect(parseConfig({ HEDGE_BALANCER_ENABLED: v }).config.HEDGE_BALANCER_ENABLED).toBe(false);
  });

  it.each(["2", "y", "n", "enabled", "ture", "-1", "0.0"])("%j is rejected with the accepted words", (v) => {
    expect(() => parseConfig({ ALLOW_HEDGE_ON_LOW_MARGIN: v })).toThrow(/ALLOW_HEDGE_ON_LOW_MARGIN.*1\/0\/true\/false\/on\/off\/yes\/no/);
  });
});
