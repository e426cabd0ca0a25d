// POST /control/*: operator actions. Inputs are strict (an unknown field is an error, never
// silently ignored: a typo such as "reduceOnly" must not turn a reduction into a new position).
import { z } from "@hono/zod-openapi";
import { WORKERS } from "../../core/types.ts";
import { InstrumentSchema, IsoTimeSchema, SideSchema } from "./common.ts";

export const ControlStateSchema = z
  .object({
    killSwitch: z.object({
      engaged: z.boolean(),
      flatten: z.boolean(),
      since: IsoTimeSchema.nullable(),
      by: z.string().nullable(),
    }),
    paused: z.object({
      all: z.boolean().openapi({ description: "Every worker is paused (POST /control/pause without ?worker=)." }),
      workers: z.array(z.string()).openapi({ description: "Workers paused one by one." }),
    }),
    changedAt: IsoTimeSchema.nullable(),
    changedBy: z.string().nullable(),
  })
  .openapi("ControlState");
export type ControlState = z.infer<typeof ControlStateSchema>;

export const FlattenOrderSchema = z
  .object({
    instrument: InstrumentSchema,
    side: SideSchema,
    units: z.number().nonnegative(),
    clientId: z.string(),
    outcome: z.string().openapi({ description: "The gate's decision or the order's status (filled, cancelled, rejected, skipped, ...).", example: "filled" }),
    reason: z.string().nullable().optional(),
  })
  .openapi("FlattenOrder");

export const FlattenResultSchema = z
  .object({
    instrument: InstrumentSchema.nullable().openapi({ description: "null: every instrument." }),
    orders: z.array(FlattenOrderSchema).openapi({ description: "One REDUCE_ONLY order per side held; empty when flat." }),
  })
  .openapi("FlattenResult");
export type FlattenResult = z.infer<typeof FlattenResultSchema>;

export const KillResultSchema = z
  .object({ state: ControlStateSchema, flatten: FlattenResultSchema.nullable() })
  .openapi("KillResult");
export type KillResult = z.infer<typeof KillResultSchema>;

export const WorkerQuerySchema = z.strictObject({
  worker: z.enum(WORKERS, { message: `expected one of ${WORKERS.join(", ")}` }).optional().openapi({ description: "Only this worker; all workers when absent." }),
});

const flag = z
  .enum(["1", "0", "true", "false"], { message: "expected 1, 0, true or false" })
  .transform((v) => v === "1" || v === "true");

export const KillQuerySchema = z.strictObject({
  flatten: flag.optional().openapi({ description: "1: also close every sekisho position with reduce-only orders.", example: "1" }),
});

export const FlattenQuerySchema = z.strictObject({
  instrument: InstrumentSchema.optional().openapi({ description: "Only this instrument; every instrument when absent." }),
});

/** Pockets an operator may use; `manual` is for trades sekisho did not open and never touches. */
export const OPERATOR_POCKETS = ["macro", "micro", "scalp", "scalp_fast"] as const;

export const OperatorSignalInputSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "expected 1-64 characters of A-Z a-z 0-9 _ . : -")
      .optional()
      .openapi({ description: "Idempotency key: sending the same id again never makes a second order. Generated when absent." }),
    instrument: InstrumentSchema,
    side: SideSchema,
    units: z.number().int("expected whole units").positive("expected a positive number of units").max(100_000_000).openapi({ description: "Requested units; the gate may size down, never up.", example: 10000 }),
    pocket: z.enum(OPERATOR_POCKETS).default("macro").openapi({ description: "Default macro: operator trades stay sekisho's own (flattened by the kill switch), are served first like hedges, and macro's pocket rules apply." }),
    reduce_only: z.boolean().default(false).openapi({ description: "Only reduce |net|: units = min(units, |net|); refused unless opposite to the net." }),
    tp_pips: z.number().positive().max(10_000).optional(),
    sl_pips: z.number().positive().max(10_000).optional(),
    confidence: z.number().min(0).max(100).default(50).openapi({ description: "Only orders waiting signals of the same pocket." }),
  })
  .refine((s) => !(s.reduce_only && (s.tp_pips !== undefined || s.sl_pips !== undefined)), {
    message: "tp_pips/sl_pips cannot be attached to a reduce_only order",
    path: ["reduce_only"],
  })
  .openapi("OperatorSignal");
export type OperatorSignalInput = z.output<typeof OperatorSignalInputSchema>;

export const GateDecisionViewSchema = z
  .object({
    signalId: z.string(),
    outcome: z.enum(["accepted", "skipped"]),
    reason: z.string().openapi({ description: "ok when accepted; otherwise the gate step that skipped it.", example: "margin_budget" }),
    units: z.number().nonnegative().openapi({ description: "Units sent (0 when skipped)." }),
    clientId: z.string().nullable().openapi({ description: "The order's client id when accepted: GET /orders/{clientId}." }),
    orderStatus: z.string().nullable().optional().openapi({ description: "The order's journal status when the answer was given." }),
    details: z.record(z.string(), z.unknown()).optional().openapi({ description: "The numbers behind the decision (allowed_lot, spread, price age, ...)." }),
  })
  .openapi("GateDecision");
export type GateDecisionView = z.infer<typeof GateDecisionViewSchema>;

/**
 * 202: the order may have been sent and its fate is not known yet (the broker has not answered,
 * or the signal still waits for the gate). Never "unsent": follow it with GET /orders/{clientId}.
 */
export const PendingSignalSchema = z
  .object({
    status: z.literal("pending"),
    signalId: z.string(),
    clientId: z.string().openapi({ description: "Follow the order with GET /orders/{clientId} until its status is final.", example: "sk-op-42" }),
    orderStatus: z.string().nullable().openapi({ description: "The journal status when the answer was given (null: the gate has not taken the signal yet)." }),
    message: z.string(),
  })
  .openapi("PendingSignal");
export type PendingSignalView = z.infer<typeof PendingSignalSchema>;
