// GET /health: Kubernetes-style. One overall status plus one check per component, each with the
// figures behind it so an operator sees *why* without reading logs.
// Response schemas: they document the API and are loaded with /openapi.json (routes/documented.ts);
// how the overall status follows from the checks is in ../health-status.ts.
import { z } from "@hono/zod-openapi";
import { CheckStatusSchema, InstrumentSchema, IsoTimeSchema, MarginModelSchema, MarginModelSettingSchema, ModeSchema } from "./common.ts";

const ageMs = z.number().nonnegative().nullable().openapi({ description: "Milliseconds since the event; null when it never happened." });

export const PricingStreamCheckSchema = z.object({
  status: CheckStatusSchema,
  connected: z.boolean(),
  lastHeartbeatAgeMs: ageMs,
  priceAgeMs: z.record(InstrumentSchema, ageMs).openapi({
    description: "Age of the latest price per configured instrument (measured from when the agent received it).",
    example: { USD_JPY: 180 },
  }),
  reconnects: z.number().int().nonnegative().optional(),
});

export const TransactionStreamCheckSchema = z.object({
  status: CheckStatusSchema,
  connected: z.boolean(),
  lastHeartbeatAgeMs: ageMs,
  lastTransactionId: z.string().nullable().optional(),
  reconnects: z.number().int().nonnegative().optional(),
});

export const AccountStateCheckSchema = z.object({
  status: CheckStatusSchema,
  ageMs: ageMs.openapi({ description: "Milliseconds since the account summary was last refreshed from the broker." }),
});

export const JournalCheckSchema = z.object({
  status: CheckStatusSchema,
  writable: z.boolean(),
  lastError: z.string().nullable().optional(),
});

export const ReplicaCheckSchema = z.object({
  status: CheckStatusSchema,
  enabled: z.boolean(),
  lagRows: z.number().int().nonnegative().nullable().openapi({ description: "Journal rows not yet pushed to the replica." }),
  lastPushAt: IsoTimeSchema.nullable(),
  lastError: z.string().nullable(),
});

export const LedgerCheckSchema = z.object({
  status: CheckStatusSchema.openapi({ description: "degraded for an hour after a late fill, an unattributed fill or a margin closeout unless acknowledged (POST /control/ack-alerts), and while the ledger cannot be read from the broker." }),
  cursor: z.number().int().nullable().openapi({ description: "Every transaction up to this OANDA id is stored and attributed." }),
  lastError: z.string().nullable(),
  lateFills: z.number().int().nonnegative(),
  unattributedFills: z.number().int().nonnegative(),
  manualFills: z.number().int().nonnegative(),
  lastAlert: z.object({ kind: z.string(), at: IsoTimeSchema, message: z.string() }).nullable(),
  acknowledged: z.object({ at: IsoTimeSchema, by: z.string() }).nullable().openapi({ description: "The operator's last POST /control/ack-alerts: alerts up to then no longer degrade health." }),
});
export type LedgerCheck = z.infer<typeof LedgerCheckSchema>;

export const AckAlertsResultSchema = z
  .object({ ledger: LedgerCheckSchema.openapi({ description: "The ledger check after the acknowledgement (still degraded while the ledger cannot be read)." }) })
  .openapi("AckAlertsResult");
export type AckAlertsResult = z.infer<typeof AckAlertsResultSchema>;

export const MarginModelEvidenceSchema = z
  .object({
    at: IsoTimeSchema,
    marginUsed: z.number().openapi({ description: "Broker-reported marginUsed while both sides were open." }),
    netModelMargin: z.number(),
    maxSideModelMargin: z.number(),
    verdict: MarginModelSchema,
  })
  .openapi("MarginModelEvidence");

export const MarginModelCheckSchema = z.object({
  status: CheckStatusSchema,
  setting: MarginModelSettingSchema,
  inForce: MarginModelSchema,
  evidence: MarginModelEvidenceSchema.nullable(),
  note: z.string().optional(),
});

export const CloseoutCheckSchema = z.object({
  status: CheckStatusSchema.openapi({ description: "degraded while the closeout guard is engaged: entries are stopped and exposure is being reduced." }),
  rule: z.enum(["japan", "half"]).openapi({ description: "Loss-cut rule in force: japan = closeout at marginUsed/NAV 100%; half = when NAV falls to half the margin used." }),
  ruleSetting: z.enum(["auto", "japan", "half"]),
  note: z.string().openapi({ description: "Why this rule: the setting, or the broker's figures it was learnt from." }),
  evidence: z
    .object({ at: IsoTimeSchema, marginUsed: z.number(), nav: z.number(), marginCloseoutPercent: z.number(), ratio: z.number(), verdict: z.enum(["japan", "half"]) })
    .nullable(),
  distancePips: z.number().nonnegative().nullable().openapi({ description: "Adverse move in pips to the loss-cut (nearest instrument); null when no move reaches it." }),
  instrument: z.string().nullable(),
  usage: z.number().openapi({ description: "Usage under the rule (marginCloseoutPercent as that broker reports it); the loss-cut is at 1." }),
  guard: z.object({
    engaged: z.boolean(),
    reason: z.enum(["distance", "usage"]).nullable(),
    since: IsoTimeSchema.nullable(),
    guardPips: z.number(),
    guardUsage: z.number(),
    targetPips: z.number(),
  }),
});

export const KillSwitchCheckSchema = z.object({
  status: CheckStatusSchema.openapi({ description: "degraded while engaged: the process is healthy but takes no entries." }),
  engaged: z.boolean(),
  flatten: z.boolean().openapi({ description: "Whether the switch also closed sekisho's positions." }),
  since: IsoTimeSchema.nullable(),
  by: z.string().nullable(),
});

export const WorkersCheckSchema = z.object({
  status: CheckStatusSchema,
  allPaused: z.boolean(),
  pausedWorkers: z.array(z.string()),
  running: z.array(z.string()).openapi({ description: "Workers enabled and running." }),
});

export const LossLimitCheckSchema = z.object({
  status: CheckStatusSchema.openapi({ description: "degraded while a loss limit stops entries (reduce-only still passes)." }),
  engaged: z.boolean(),
  scope: z.enum(["daily", "drawdown"]).nullable().openapi({ description: "daily: lifts at the next trading day (17:00 New York); drawdown: lifts only by POST /control/resume." }),
  since: IsoTimeSchema.nullable(),
  tradingDay: z.string().nullable().openapi({ description: "The trading day, named by the New York date it ends on at 17:00." }),
  dayOpenNav: z.number().nullable(),
  highWaterNav: z.number().nullable(),
  nav: z.number().nullable(),
  dailyLimit: z.number().nullable().openapi({ description: "MAX_DAILY_LOSS in the home currency for today; null when off." }),
  drawdownLimit: z.number().nullable().openapi({ description: "MAX_DRAWDOWN_PCT of the high-water mark, in the home currency; null when off." }),
});

export const HealthReportSchema = z
  .object({
    status: CheckStatusSchema,
    version: z.string().openapi({ example: "0.1.0" }),
    mode: ModeSchema,
    uptimeSec: z.number().nonnegative(),
    checks: z.object({
      pricingStream: PricingStreamCheckSchema,
      transactionStream: TransactionStreamCheckSchema,
      accountState: AccountStateCheckSchema,
      journal: JournalCheckSchema,
      replica: ReplicaCheckSchema,
      marginModel: MarginModelCheckSchema,
      closeout: CloseoutCheckSchema,
      killSwitch: KillSwitchCheckSchema,
      workers: WorkersCheckSchema,
      lossLimit: LossLimitCheckSchema.optional(),
      ledger: LedgerCheckSchema.optional(),
    }),
  })
  .openapi("HealthReport");
export type HealthReport = z.infer<typeof HealthReportSchema>;
export type HealthChecks = HealthReport["checks"];
