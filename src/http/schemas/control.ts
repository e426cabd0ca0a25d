// POST /control/*: operator actions. Inputs are strict (an unknown field is an error, never
// silently ignored: a typo such as "reduceOnly" must not turn a reduction into a new position).
// What the actions answer is in ./control-views.ts.
import { z } from "@hono/zod-openapi";
import { WORKERS } from "../../core/types.ts";
import { InstrumentSchema, SideSchema } from "./common.ts";

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

