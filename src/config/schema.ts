// One zod schema for every setting. Names and defaults of the memo's variables are a contract
// (the hedging memo and the design name them). Every field is an environment variable.
//
// Longer than 300 lines on purpose: this file is the contract table, every variable with its
// default and range in one reviewable place, read top to bottom against docs/margin.md's variable
// table (a test checks the two match). Split by section it would scatter that contract. Above the
// table are only the parsers its fields share (booleans, bounded numbers, lists).
import { z } from "zod";

// Every schema in sekisho is parsed rarely: the settings once at start-up, a broker answer or an
// operator's request at most a few times a second (prices take the stream's own fast path). zod's
// compiled fast path generates code for each object schema on its first parse, and that cost more
// than it ever saved: ~12-15 ms of start-up for the settings alone, on Deno and in the binary
// (docs/performance.md). The same parse without the code generation. zod reads this setting when
// an object schema is built, so it holds for every schema built after this module is evaluated:
// for `run`, all of sekisho's (its settings are its first import with schemas); a schema built
// before it keeps the compiled path, which changes its speed, never its answers.
z.config({ jitless: true });

const BOOL_TRUE = new Set(["1", "true", "on", "yes"]);
const BOOL_FALSE = new Set(["0", "false", "off", "no"]);

/**
 * A setting's raw value: text from the environment, or a number or boolean from a caller. One
 * instance shared by every field (a schema is immutable, so sharing changes no answer): one union
 * built per field, 79 of them, took ~6 ms of every start-up (binary and Deno alike).
 */
const numberOrText = z.union([z.number(), z.string()]);
const booleanOrText = z.union([z.boolean(), z.string()]);

/** 1/0/true/false/on/off/yes/no, case-insensitive. */
const bool = (def: boolean) =>
  booleanOrText
    .default(def)
    .transform((v, ctx) => {
      if (typeof v === "boolean") return v;
      const s = v.trim().toLowerCase();
      if (BOOL_TRUE.has(s)) return true;
      if (BOOL_FALSE.has(s)) return false;
      ctx.addIssue({ code: "custom", message: "expected one of 1/0/true/false/on/off/yes/no" });
      return z.NEVER;
    });

/** Like bool() but undefined when unset, so the caller can pick a mode-dependent default. */
const optionalBool = () =>
  booleanOrText
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || typeof v === "boolean") return v;
      const s = v.trim().toLowerCase();
      if (s === "") return undefined;
      if (BOOL_TRUE.has(s)) return true;
      if (BOOL_FALSE.has(s)) return false;
      ctx.addIssue({ code: "custom", message: "expected one of 1/0/true/false/on/off/yes/no" });
      return z.NEVER;
    });

/**
 * Decimal notation only: `0x10`, `0b1`, `Infinity` and `1_000` are refused. JavaScript's Number()
 * would read `0x10` as 16, so a value meant as something else could silently become a setting.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function numberIn(min: number, max: number, whole: boolean) {
  const message = `expected a ${whole ? "whole " : ""}number in [${min}, ${max}]`;
  return (v: number | string, ctx: z.RefinementCtx): number => {
    const text = typeof v === "string" ? v.trim() : undefined;
    const n = text === undefined ? (v as number) : DECIMAL.test(text) ? Number(text) : Number.NaN;
    if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
      const notDecimal = text !== undefined && !DECIMAL.test(text) && Number.isFinite(Number(text));
      ctx.addIssue({ code: "custom", message: notDecimal ? `${message}, written in decimal digits` : message });
      return z.NEVER;
    }
    return n;
  };
}

/** A number from a string, with an inclusive range stated in the error. */
const num = (def: number, min: number, max: number) => numberOrText.default(def).transform(numberIn(min, max, false));

const int = (def: number, min: number, max: number) => numberOrText.default(def).transform(numberIn(min, max, true));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const optionalUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return undefined;
    try {
      const u = new URL(v.trim());
      return u.toString().replace(/\/$/, "");
    } catch {
      ctx.addIssue({ code: "custom", message: "expected an absolute URL such as https://host:port" });
      return z.NEVER;
    }
  });

const instrumentList = z
  .string()
  .default("USD_JPY")
  .transform((v, ctx) => {
    const list = v.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
    const bad = list.filter((s) => !/^[A-Z0-9]{2,10}_[A-Z0-9]{2,10}$/.test(s));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: "custom", message: `expected a comma-separated list of OANDA instruments such as USD_JPY,EUR_USD${bad.length ? ` (bad: ${bad.join(",")})` : ""}` });
      return z.NEVER;
    }
    return [...new Set(list)];
  });

export const MICRO_STRATEGIES = ["momentum_burst", "pullback_ema", "range_break", "vwap_band", "trend_momentum"] as const;

const strategyList = z
  .string()
  .default("all")
  .transform((v, ctx) => {
    const s = v.trim().toLowerCase();
    if (s === "all" || s === "") return [...MICRO_STRATEGIES];
    const list = s.split(",").map((x) => x.trim()).filter(Boolean);
    const bad = list.filter((x) => !(MICRO_STRATEGIES as readonly string[]).includes(x));
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `expected "all" or a list of ${MICRO_STRATEGIES.join(",")} (unknown: ${bad.join(",")})` });
      return z.NEVER;
    }
    return list as (typeof MICRO_STRATEGIES)[number][];
  });

/** Each micro strategy's parameters (their meaning and defaults: src/workers/micro_multistrat/strategies/). */
export const MICRO_STRATEGY_PARAM_NAMES = {
  momentum_burst: ["bodyAtrMult", "minBodyFrac", "volumeMult"],
  pullback_ema: ["minTrendAtr", "touchAtrFrac"],
  range_break: ["maxWidthAtr", "breakAtrFrac"],
  vwap_band: ["bandAtrMult"],
  trend_momentum: ["minGapAtr", "rsiEnter", "rsiMax"],
} as const satisfies Record<(typeof MICRO_STRATEGIES)[number], readonly string[]>;

export type MicroStrategyParams = Partial<Record<(typeof MICRO_STRATEGIES)[number], Record<string, number>>>;

/**
 * MICRO_STRATEGY_PARAMS: `strategy.param=value,...` (e.g. range_break.maxWidthAtr=4,pullback_ema.minTrendAtr=0.8)
 * over the strategies' defaults; empty = the defaults. The setting stays text (as written); this
 * reads it, for the schema's check and for the worker.
 */
export function parseMicroStrategyParams(text: string): { params: MicroStrategyParams } | { error: string } {
  const params: MicroStrategyParams = {};
  for (const item of text.split(",").map((x) => x.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)\.([A-Za-z]+)=(-?[0-9]+(?:\.[0-9]+)?)$/.exec(item);
    const names = m ? (MICRO_STRATEGY_PARAM_NAMES as Record<string, readonly string[]>)[m[1]!] : undefined;
    if (!m || !names || !names.includes(m[2]!)) {
      const known = Object.entries(MICRO_STRATEGY_PARAM_NAMES).map(([k, ps]) => ps.map((x) => `${k}.${x}`).join(",")).join(",");
      return { error: `expected strategy.param=number items (${JSON.stringify(item)} is not one of ${known})` };
    }
    const k = m[1] as (typeof MICRO_STRATEGIES)[number];
    params[k] = { ...params[k], [m[2]!]: Number(m[3]) };
  }
  return { params };
}

const strategyParams = z
  .string()
  .default("")
  .superRefine((v, ctx) => {
    const r = parseMicroStrategyParams(v);
    if ("error" in r) ctx.addIssue({ code: "custom", message: r.error });
  });

/** Comma-separated ratios such as 0.5,0.8,0.9 (alert levels of margin used / NAV). */
const ratioList = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const parts = v.split(",").map((s) => s.trim()).filter(Boolean);
      const list = parts.map(Number);
      if (list.some((x) => !Number.isFinite(x) || x <= 0 || x > 2)) {
        ctx.addIssue({ code: "custom", message: "expected comma-separated ratios in (0, 2] such as 0.5,0.8,0.9" });
        return z.NEVER;
      }
      return [...new Set(list)].sort((a, b) => a - b);
    });

const pocket = z.enum(["macro", "micro", "scalp", "scalp_fast"], { message: "expected one of macro, micro, scalp, scalp_fast" });

export const configSchema = z.object({
  // --- broker -------------------------------------------------------------------------------
  OANDA_TOKEN: optionalString,
  OANDA_ACCOUNT_ID: optionalString,
  OANDA_ENV: z.enum(["practice", "live"], { message: "expected practice or live" }).default("practice"),
  /** Overrides OANDA's REST host (https://api-fxtrade.oanda.com, https://api-fxpractice.oanda.com). */
  OANDA_REST_URL: optionalUrl,
  /** Overrides OANDA's stream host (https://stream-fxtrade.oanda.com, https://stream-fxpractice.oanda.com). */
  OANDA_STREAM_URL: optionalUrl,
  OANDA_REQUEST_TIMEOUT_MS: int(10_000, 500, 120_000),
  STREAM_HEARTBEAT_TIMEOUT_MS: int(15_000, 1_000, 300_000),
  /** /health says degraded (200) while a stream reconnects, and down (503) once it has been disconnected this long. */
  STREAM_DOWN_AFTER_SEC: num(120, 1, 86_400),
  ACCOUNT_REFRESH_SEC: num(10, 1, 3600),
  INSTRUMENTS: instrumentList,

  // --- margin (memo) ----------------------------------------------------------------------------
  /** Larger values are clamped to 0.92 (reported by `sekisho check` and /config). */
  MAX_MARGIN_USAGE: num(0.92, 0.01, 1),
  MARGIN_SAFETY_FACTOR: num(0.9, 0.1, 1),
  ALLOW_HEDGE_ON_LOW_MARGIN: bool(true),
  MIN_FREE_MARGIN_RATIO: num(0.01, 0, 1),
  DIR_CAP_RATIO: num(1.0, 0, 2),
  MARGIN_MODEL: z.enum(["auto", "net", "max_side"], { message: "expected auto, net or max_side" }).default("auto"),
  /** The broker's loss-cut: japan (marginUsed/NAV = 100%), half (NAV = half the margin), auto (learnt; japan until then). */
  CLOSEOUT_RULE: z.enum(["auto", "japan", "half"], { message: "expected auto, japan or half" }).default("auto"),
  /** Entries stop and exposure is reduced below this distance to the loss-cut, in pips (0 = off). */
  CLOSEOUT_GUARD_PIPS: num(55, 0, 10_000),
  /** ...or at this usage under the rule (what marginCloseoutPercent reads; closeout at 1). */
  CLOSEOUT_GUARD_USAGE: num(0.95, 0.1, 1),
  /** Reduction goes on until the distance is back to at least this many pips. */
  CLOSEOUT_GUARD_TARGET_PIPS: num(90, 0, 10_000),

  // --- gate ---------------------------------------------------------------------------------------
  /** priceBound = price +/- this many pips. */
  GATE_SLIPPAGE_PIPS: num(1.5, 0, 100),
  /** A price older than this is stale for the gate. */
  GATE_MAX_PRICE_AGE_MS: int(10_000, 100, 600_000),
  /** Upper spread limit for any entry; reduce-only orders are exempt so risk can always come off. */
  GATE_MAX_SPREAD_PIPS: num(5, 0.1, 1000),
  SIGNAL_TTL_MS: int(5_000, 100, 600_000),
  SIGNAL_BUS_CAPACITY: int(256, 1, 100_000),
  ORDER_TIMEOUT_MS: int(10_000, 500, 120_000),
  /**
   * Refuse entries on the FX weekend by the clock, besides OANDA's tradeable flag. Default: on
   * against OANDA, off in paper mode (the simulator trades around the clock).
   */
  GATE_ENFORCE_MARKET_HOURS: optionalBool(),
  /**
   * After the ticks of each chunk the pricing stream reads, if the gate still waits for a signal,
   * rehearse fast_scalp's next entry up to its request's bytes and send nothing, so the real one
   * runs warm (src/gate/rehearsal.ts).
   */
  GATE_REHEARSAL: bool(true),
  /**
   * Also rehearse this often (ms) when no tick has prompted a rehearsal since: keeps the path warm
   * where prices come seldom (OANDA sends a few a second), at the cost of a wake-up each time.
   * 0: only after ticks.
   */
  GATE_REHEARSAL_EVERY_MS: int(0, 0, 60_000),
  /** How often unresolved (`unknown`) orders are looked up again. */
  RECONCILE_INTERVAL_SEC: num(15, 1, 3600),
  /**
   * An order whose fate is unknown counts at full size until the broker's ledger shows its fill or
   * cancel, or until it is still not found this long after the request (its last change in the
   * journal): only then can the broker no longer execute it, and it is settled `reconciled`.
   */
  ORDER_FATE_HORIZON_SEC: num(120, 1, 86_400),
  /** JSON object overriding per-pocket rules, e.g. {"scalp_fast":{"cooldownSec":10}}. */
  POCKET_RULES: z.string().optional(),

  // --- guards (issue 12): loss limits, protective stops, order size ---------------------------
  /**
   * Entries stop (reason loss_limit) once NAV is this far below the trading day's opening NAV:
   * an amount in the home currency (`25000`), a percentage of the opening NAV (`5%`), or `off`.
   * The trading day ends at 17:00 New York time.
   */
  MAX_DAILY_LOSS: z
    .string()
    .default("5%")
    .transform((v, ctx) => {
      const s = v.trim().toLowerCase();
      if (s === "off" || /^(?:\d+(?:\.\d*)?|\.\d+)%?$/.test(s) && (!s.endsWith("%") || Number(s.slice(0, -1)) <= 100)) return s;
      ctx.addIssue({ code: "custom", message: "expected an amount in the home currency (25000), a percentage of the day's opening NAV (5%), or off" });
      return z.NEVER;
    }),
  /** Entries stop once NAV is this many percent below its high-water mark; only an operator's resume lifts it. 0 = off. */
  MAX_DRAWDOWN_PCT: num(20, 0, 100),
  /** Every entry carries a stop loss on fill (a signal without one gets MAX_SL_PIPS). 0 = only when the signal asks. */
  REQUIRE_STOP_LOSS: bool(true),
  /** A stop closer than this is widened to it (the decision says so). */
  MIN_SL_PIPS: num(2.0, 0, 1000),
  /** A stop farther than this is tightened to it; also the stop of an entry that names none. */
  MAX_SL_PIPS: num(50, 0.1, 10_000),
  /** Units per order: operator orders above it are refused (too_large), workers' are resized. */
  MAX_ORDER_UNITS: int(1_000_000, 1, 1_000_000_000),
  /** Units on each side of one instrument (open, in flight and this entry): entries are resized to fit. */
  MAX_INSTRUMENT_UNITS: int(2_000_000, 1, 10_000_000_000),

  // --- workers --------------------------------------------------------------------------------
  // Off by default: it did not beat its costs out of sample (docs/workers.md, "The scorecard").
  FAST_SCALP_ENABLED: bool(false),
  FAST_SCALP_MAX_SPREAD_PIPS: num(1.0, 0.01, 100),
  FAST_SCALP_MAX_SIGNAL_AGE_MS: int(6000, 1, 600_000),
  FAST_SCALP_WINDOW_SEC: num(20, 1, 3600),
  FAST_SCALP_MIN_TICKS: int(8, 2, 10_000),
  /** Momentum over the window must exceed this multiple of the current spread... */
  FAST_SCALP_MOMENTUM_SPREAD_MULT: num(2.0, 0, 100),
  /** ...and this fraction of the window's high-low range. */
  FAST_SCALP_MOMENTUM_RANGE_FRAC: num(0.6, 0, 1),
  FAST_SCALP_PATTERN_GATE: bool(true),
  /** Pattern gate: refuse when the last tick-to-tick move exceeds this multiple of the mean move. */
  FAST_SCALP_SPIKE_MULT: num(4.0, 1, 1000),
  FAST_SCALP_COOLDOWN_SEC: num(30, 0, 86_400),
  FAST_SCALP_MAX_ORDERS_PER_MIN: int(2, 1, 1000),
  // Trade-frequency budget (docs/workers.md): orders per hour and per 24 h, all instruments.
  FAST_SCALP_MAX_ORDERS_PER_HOUR: int(20, 1, 100_000),
  FAST_SCALP_MAX_ORDERS_PER_DAY: int(120, 1, 1_000_000),
  FAST_SCALP_UNITS: int(10_000, 1, 100_000_000),
  FAST_SCALP_TP_PIPS: num(10, 0.1, 1000),
  FAST_SCALP_SL_PIPS: num(6, 0.1, 1000),
  FAST_SCALP_POCKET: pocket.default("scalp_fast"),

  // Off by default: its strategies did not beat their costs out of sample (docs/workers.md, "The scorecard").
  MICRO_MULTISTRAT_ENABLED: bool(false),
  MICRO_STRATEGY_ALLOWLIST: strategyList,
  MICRO_STRATEGY_PARAMS: strategyParams,
  MICRO_UNITS: int(10_000, 1, 100_000_000),
  MICRO_TP_PIPS: num(8, 0.1, 1000),
  MICRO_SL_PIPS: num(6, 0.1, 1000),
  MICRO_POCKET: pocket.default("micro"),
  // Trade-frequency budget (docs/workers.md): orders per hour and per 24 h, all instruments.
  MICRO_MAX_ORDERS_PER_HOUR: int(6, 1, 100_000),
  MICRO_MAX_ORDERS_PER_DAY: int(48, 1, 1_000_000),

  // --- hedge balancer (memo: all fourteen HEDGE_* names, plus the interval) -------------------
  HEDGE_BALANCER_ENABLED: bool(true),
  HEDGE_BALANCER_INTERVAL_SEC: num(7, 0.1, 3600),
  HEDGE_TRIGGER_MARGIN_USAGE: num(0.88, 0, 1),
  HEDGE_TARGET_MARGIN_USAGE: num(0.82, 0, 1),
  HEDGE_TRIGGER_FREE_MARGIN_RATIO: num(0.08, 0, 1),
  HEDGE_MIN_NET_UNITS: int(15_000, 0, 100_000_000),
  HEDGE_MIN_HEDGE_UNITS: int(10_000, 1, 100_000_000),
  HEDGE_MAX_HEDGE_UNITS: int(90_000, 1, 100_000_000),
  HEDGE_MAX_REDUCTION_FRACTION: num(0.55, 0.01, 1),
  HEDGE_COOLDOWN_SEC: num(20, 0, 86_400),
  HEDGE_POCKET: pocket.default("macro"),
  HEDGE_CONFIDENCE: num(90, 0, 100),
  HEDGE_SL_PIPS: num(5, 0.1, 1000),
  HEDGE_TP_PIPS: num(5, 0.1, 1000),
  HEDGE_MIN_PRICE: num(90, 0, 1_000_000),
  /** Unwind hedge locks (both sides open, small net) under larger-side margin by closing equal units of both sides. */
  HEDGE_UNWIND_ENABLED: bool(true),
  /** Most units closed on EACH side in one unwind step. */
  HEDGE_UNWIND_MAX_UNITS: int(30_000, 1, 100_000_000),

  // --- store and replica ------------------------------------------------------------------------
  DB_PATH: z.string().min(1, { message: "expected a file path" }).default("./data/orders.db"),
  /** normal: no fsync per commit (a power cut may lose the last commits, never corrupts; lost orders are adopted from the ledger); full: fsync per commit. */
  JOURNAL_SYNCHRONOUS: z.enum(["normal", "full"], { message: "expected normal or full" }).default("normal"),
  /** on: an order's intent is made durable as a line of DB_PATH-intents before its request and written to the journal right after it (faster); off: committed to the journal before the request. */
  JOURNAL_INTENT_LOG: bool(true),
  /** libsql://, https://, http://, wss:// or ws:// (a Turso database or a sync server). */
  TURSO_DATABASE_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const text = v.trim();
      let u: URL | undefined;
      try {
        u = new URL(text);
      } catch {
        u = undefined;
      }
      if (!u || !["libsql:", "https:", "http:", "wss:", "ws:"].includes(u.protocol) || !u.hostname) {
        ctx.addIssue({ code: "custom", message: "expected a URL such as libsql://<db>-<org>.turso.io or http://127.0.0.1:8081" });
        return z.NEVER;
      }
      return text;
    }),
  TURSO_AUTH_TOKEN: optionalString,
  REPLICA_PUSH_INTERVAL_SEC: num(5, 0.1, 86_400),
  /** Where the Turso Sync replica file lives; default DB_PATH with its .db replaced by .replica.db. */
  REPLICA_PATH: optionalString,
  METRICS_RETENTION_DAYS: num(7, 0.01, 3650),

  // --- HTTP ------------------------------------------------------------------------------------
  HTTP_HOST: z.string().min(1).default("127.0.0.1"),
  HTTP_PORT: int(8080, 0, 65_535),
  CONTROL_TOKEN: optionalString,
  HTTP_BODY_LIMIT_BYTES: int(65_536, 256, 10_485_760),

  // --- paper mode ---------------------------------------------------------------------------------
  /** Speed of the in-process simulator's price feed only; workers, cooldowns and candles keep wall-clock time. */
  SIM_SPEED: num(1, 0.01, 1000),
  SIM_SCENARIO: optionalString,

  // --- alerts (src/alerts) ------------------------------------------------------------------------
  /** Slack- or Discord-compatible incoming webhook; the URL is its own credential (secret). */
  ALERT_WEBHOOK_URL: optionalUrl,
  ALERT_TELEGRAM_TOKEN: optionalString,
  ALERT_TELEGRAM_CHAT_ID: optionalString,
  /** Telegram Bot API base URL (tests point it at a local receiver). */
  ALERT_TELEGRAM_API_URL: optionalUrl.transform((v) => v ?? "https://api.telegram.org"),
  /** Send an alert for every fill (kill switch, limits, streams, margin levels are always sent). */
  ALERT_FILLS: bool(true),
  ALERT_MARGIN_LEVELS: ratioList("0.5,0.8,0.9"),
  ALERT_STREAM_DOWN_SEC: num(60, 1, 86_400),
  ALERT_REPLICA_LAG_ROWS: int(1000, 1, 100_000_000),
  ALERT_RATE_PER_MIN: int(20, 1, 10_000),
  ALERT_DEDUP_SEC: num(60, 0, 86_400),
  ALERT_TIMEOUT_MS: int(5000, 100, 120_000),
  ALERT_NAME: z.string().min(1).max(64).default("sekisho"),

  /** auto: readable coloured lines when stdout is a terminal, JSON lines otherwise (pipes, files, journald). */
  LOG_FORMAT: z.enum(["auto", "json", "pretty"], { message: "expected auto, json or pretty" }).default("auto"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"], { message: "expected trace, debug, info, warn, error, fatal or silent" }).default("info"),
});

export type Config = z.output<typeof configSchema>;
export type ConfigKey = keyof Config;

/** Names whose values never leave the process (redacted in /config, `check` and logs). */
export const SECRET_KEYS = ["OANDA_TOKEN", "TURSO_AUTH_TOKEN", "CONTROL_TOKEN", "ALERT_WEBHOOK_URL", "ALERT_TELEGRAM_TOKEN"] as const satisfies readonly ConfigKey[];

export const CONFIG_KEYS = Object.keys(configSchema.shape) as ConfigKey[];
