// The scenario file: what the simulator starts with. Every key is optional; what is missing
// comes from DEFAULT_SCENARIO (a JPY account of 500,000 trading USD_JPY with synthetic ticks).
// Unknown keys are errors, so a misspelt key never silently does nothing.
import { z } from "zod";
import { REPLAY_FORMATS } from "../marketdata/ticks.ts";
import { isInstrumentName } from "../core/instruments.ts";
import { CLOSEOUT_RULES } from "./closeout-rule.ts";

export const DEFAULT_TOKEN = "sekisho-sim-dev-token";
export const DEFAULT_ACCOUNT_ID = "101-001-0000000-001";

const positive = z.number().finite().positive();
const annualRate = z.number().finite().min(-1).max(1);
const SideRatesSchema = z.object({ long: annualRate, short: annualRate }).strict();

const DEFAULT_ACCOUNT = {
  id: DEFAULT_ACCOUNT_ID, currency: "JPY", balance: 500_000, marginRate: 0.04, hedgingEnabled: true, marginModel: "max_side", closeoutRule: "japan",
} as const;

/**
 * Built-in annual financing rates (positive received, negative paid) for instruments the
 * scenario does not set. USD_JPY: longs earn the dollar's higher rate less the broker's markup,
 * shorts pay it plus the markup (the level of USD/JPY swap points in 2025-26). Other
 * instruments pay on both sides: without a known rate, the side that protects the account.
 */
export const BUILTIN_FINANCING_RATES: Readonly<Record<string, { long: number; short: number }>> = { USD_JPY: { long: 0.03, short: -0.045 } };
const DEFAULT_OTHER_RATES = { long: -0.01, short: -0.01 };

/** Slippage and latency defaults: a fraction of a pip against the order, no added latency. */
const DEFAULT_EXECUTION = { slippagePips: 0.1, maxSlippagePips: 1, submitLatencyMs: 0, seed: 7 };
const nonNegative = z.number().finite().nonnegative();
const rate01 = z.number().finite().min(0).max(1);

/** Fault fields without defaults: the run-time patch (POST /sim/faults) must not reset what it omits. */
const FAULT_FIELDS = {
  /** Close each stream connection after this many lines (0 = never). */
  dropStreamAfterLines: z.number().int().nonnegative(),
  /** Streams send nothing at all (not even heartbeats) but stay connected. */
  stallStream: z.boolean(),
  /** Share of REST requests answered with errorStatus instead of being served (0..1). */
  errorRate: rate01,
  /** Status for errorRate: 500, 502, 503, 504 or 429 (429 carries Retry-After). */
  errorStatus: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
  /** Retry-After seconds sent with 429. */
  retryAfterSec: z.number().int().nonnegative(),
  /** Added delay before every REST response, in milliseconds. */
  latencyMs: nonNegative,
  /** Share of stream lines preceded by a garbage line (0..1). */
  malformedLineRate: rate01,
  /** The next N order POSTs execute but their responses never arrive (the connection hangs). */
  ghostFill: z.number().int().nonnegative(),
  /** Seed for the fault dice (errorRate, malformedLineRate). */
  seed: z.number().int(),
  /** The market halts (every instrument untradeable) after this many more order writes: orders, trade and position closes (0 = never). */
  haltAfterWrites: z.number().int().nonnegative(),
};

const F = FAULT_FIELDS;
export const FaultsSchema = z
  .object({
    dropStreamAfterLines: F.dropStreamAfterLines.default(0),
    stallStream: F.stallStream.default(false),
    errorRate: F.errorRate.default(0),
    errorStatus: F.errorStatus.default(503),
    retryAfterSec: F.retryAfterSec.default(1),
    latencyMs: F.latencyMs.default(0),
    malformedLineRate: F.malformedLineRate.default(0),
    ghostFill: F.ghostFill.default(0),
    seed: F.seed.default(1),
    haltAfterWrites: F.haltAfterWrites.default(0),
  })
  .strict();
const FaultsPatchSchema = z.object(FAULT_FIELDS).partial().strict();
export type Faults = z.infer<typeof FaultsSchema>;
const NO_FAULTS: Faults = FaultsSchema.parse({});

const PriceSchema = z
  .object({ bid: positive, ask: positive, tradeable: z.boolean().default(true) })
  .strict()
  .refine((p) => p.ask >= p.bid, { message: "ask must be >= bid" });

const ScenarioSchema = z
  .object({
    token: z.string().min(1).default(DEFAULT_TOKEN),
    account: z
      .object({
        id: z.string().regex(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/, "expected an id like 101-001-0000000-001").default(DEFAULT_ACCOUNT_ID),
        currency: z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 code such as JPY").default("JPY"),
        balance: nonNegative.default(500_000),
        marginRate: z.number().finite().positive().max(1).default(0.04),
        hedgingEnabled: z.boolean().default(true),
        /** OANDA v20 hedging accounts (OANDA Japan's included) charge the larger side: max_side. */
        marginModel: z.enum(["net", "max_side"]).default("max_side"),
        /** The loss-cut: `japan` closes everything at marginUsed / NAV = 100%; `half` when NAV falls to half the margin used. */
        closeoutRule: z.enum(CLOSEOUT_RULES).default("japan"),
      })
      .strict()
      .default(DEFAULT_ACCOUNT),
    instruments: z
      .record(z.string().refine(isInstrumentName, "expected an instrument name such as USD_JPY"), PriceSchema)
      .refine((r) => Object.keys(r).length > 0, { message: "at least one instrument is needed" })
      .default({ USD_JPY: { bid: 155.0, ask: 155.008, tradeable: true } }),
    positions: z
      .array(
        z
          .object({
            instrument: z.string(), long: nonNegative.default(0), short: nonNegative.default(0), price: positive.optional(),
            /** clientExtensions.tag of the opened trades, e.g. "sekisho:macro:seed"; without it they are someone else's (manual). */
            tag: z.string().min(1).max(128).optional(),
          })
          .strict(),
      )
      .default([]),
    ticks: z
      .object({
        source: z.enum(["fixed", "synthetic", "csv"]).default("synthetic"),
        seed: z.number().int().default(42),
        /** Mean synthetic ticks per second per instrument (before speed). */
        ratePerSec: z.number().finite().positive().max(1000).default(4),
        /** Recorded prices for source=csv, in any format `sekisho replay` reads (TrueFX/nautilus ticks, LEAN ticks or quote bars, FXCM bid bars with `askPath`, pricing-stream NDJSON; .csv or .zip). */
        path: z.string().optional(),
        /** The ask bars that go with FXCM bid bars in `path`. */
        askPath: z.string().optional(),
        /** The file's format when it cannot be told from its content (see `sekisho replay --help`). */
        format: z.enum(REPLAY_FORMATS).optional(),
        /** Instrument the CSV holds (default: guessed from the file name, else the first instrument). */
        instrument: z.string().optional(),
        /** Time factor: 2 replays twice as fast; also scales synthetic tick rate. */
        speed: z.number().finite().positive().max(10_000).default(1),
      })
      .strict()
      .default({ source: "synthetic", seed: 42, ratePerSec: 4, speed: 1 })
      .refine((t) => t.source !== "csv" || !!t.path, { message: "ticks.path is required when ticks.source is csv" }),
    heartbeatMs: z.number().int().min(10).max(600_000).default(5000),
    /** Daily financing at 17:00 New York (DAILY_FINANCING transactions). */
    financing: z
      .object({
        enabled: z.boolean().default(true),
        /** Annual rates per instrument: positive is received, negative paid; over the built-in table. */
        rates: z.record(z.string().refine(isInstrumentName, "expected an instrument name such as USD_JPY"), SideRatesSchema).default({}),
        /** Rates for instruments neither `rates` nor the built-in table lists. */
        otherRates: SideRatesSchema.default(DEFAULT_OTHER_RATES),
      })
      .strict()
      .default({ enabled: true, rates: {}, otherRates: DEFAULT_OTHER_RATES }),
    /** How market orders execute: slippage and submit latency. */
    execution: z
      .object({
        /** Mean adverse slippage of a market fill, in pips (exponential, seeded); 0 fills at the quote. */
        slippagePips: z.number().finite().min(0).max(100).default(DEFAULT_EXECUTION.slippagePips),
        /** Slippage never exceeds this many pips. */
        maxSlippagePips: z.number().finite().min(0).max(1000).default(DEFAULT_EXECUTION.maxSlippagePips),
        /** Time between an order (or close) arriving and its execution over HTTP, in milliseconds. */
        submitLatencyMs: z.number().finite().min(0).max(60_000).default(DEFAULT_EXECUTION.submitLatencyMs),
        /** Seed for the slippage dice. */
        seed: z.number().int().default(DEFAULT_EXECUTION.seed),
      })
      .strict()
      .default(DEFAULT_EXECUTION),
    /** OANDA's daily maintenance, 16:59-17:05 New York Tuesday to Friday: no fills, no price updates. */
    maintenance: z.boolean().default(true),
    faults: FaultsSchema.default(NO_FAULTS),
  })
  .strict()
  .superRefine((s, ctx) => {
    s.positions.forEach((p, i) => {
      if (!(p.instrument in s.instruments)) {
        ctx.addIssue({ code: "custom", path: ["positions", i, "instrument"], message: `${p.instrument} is not in instruments` });
      }
    });
  });

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioError";
  }
}

/** Validate a scenario (parsed JSON); missing keys get defaults. Throws ScenarioError naming the bad key. */
export function parseScenario(json: unknown): Scenario {
  const r = ScenarioSchema.safeParse(json ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.join(".") : "scenario";
  throw new ScenarioError(`${where}: ${issue.message}`);
}

/** Parse faults given at run time (POST /sim/faults): a partial update over the current ones. */
export function parseFaultsPatch(json: unknown): Partial<Faults> {
  const r = FaultsPatchSchema.safeParse(json ?? {});
  if (r.success) return r.data as Partial<Faults>;
  const issue = r.error.issues[0]!;
  throw new ScenarioError(`${issue.path.join(".") || "faults"}: ${issue.message}`);
}
