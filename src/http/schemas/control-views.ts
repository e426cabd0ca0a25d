// POST /control/*: what the operator actions answer.
// Response schemas: they document the API and are loaded with /openapi.json (routes/documented.ts).
import { z } from "@hono/zod-openapi";
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
