// GET /orders, /orders/{clientId}, /signals: views of the order journal and of gate decisions.
// The journal (src/store) owns the rows; these are the shapes the API promises. Extra columns a
// row may carry pass through (the objects are open), so the store can grow without breaking us.
import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES, type OrderStatus } from "../../core/orders.ts";
import { InstrumentSchema, SideSchema } from "./common.ts";

export const OrderStatusSchema = z.enum(ORDER_STATUSES).openapi("OrderStatus");

const epochOrIso = z.union([z.string(), z.number()]).openapi({ description: "ISO 8601 time or epoch milliseconds, as the journal stores it." });

export const OrderViewSchema = z
  .looseObject({
    clientId: z.string().openapi({ description: "clientExtensions.id, derived from the signal id.", example: "sk-op-7f3a" }),
    signalId: z.string().optional(),
    instrument: InstrumentSchema,
    side: SideSchema,
    units: z.number().nonnegative(),
    status: OrderStatusSchema,
    pocket: z.string().optional(),
    strategy: z.string().optional(),
    worker: z.string().optional(),
    reduceOnly: z.boolean().optional(),
    brokerOrderId: z.string().nullable().optional(),
    fillPrice: z.number().nullable().optional(),
    filledUnits: z.number().nullable().optional(),
    reason: z.string().nullable().optional().openapi({ description: "Cancel/reject reason from the broker." }),
    createdAt: epochOrIso,
    updatedAt: epochOrIso.optional(),
  })
  .openapi("Order");
export type OrderView = z.infer<typeof OrderViewSchema>;

export const DecisionViewSchema = z
  .looseObject({
    signalId: z.string(),
    at: epochOrIso,
    worker: z.string(),
    strategy: z.string().optional(),
    pocket: z.string().optional(),
    instrument: z.string(),
    side: SideSchema,
    outcome: z.string().openapi({ description: "accepted, skipped or error", example: "skipped" }),
    reason: z.string().openapi({ example: "spread" }),
    requestedUnits: z.number().nullable().optional(),
    units: z.number().nullable().optional().openapi({ description: "Units sent (accepted decisions)." }),
    clientId: z.string().nullable().optional(),
    details: z.record(z.string(), z.unknown()).nullable().optional().openapi({ description: "The numbers behind the decision." }),
  })
  .openapi("Decision");
export type DecisionView = z.infer<typeof DecisionViewSchema>;

/** Whole numbers in a query string, with the range in the message. */
const queryInt = (def: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number in [${min}, ${max}]`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected a whole number in [${min}, ${max}]`)
    .optional()
    .transform((v) => v ?? def)
    .openapi({ type: "integer", minimum: min, maximum: max, default: def });

const statusList = z
  .string()
  .transform((v, ctx) => {
    const list = v.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = list.filter((s) => !(ORDER_STATUSES as readonly string[]).includes(s));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: "custom", message: `expected one or more of ${ORDER_STATUSES.join(",")} separated by commas` });
      return z.NEVER;
    }
    return [...new Set(list)] as OrderStatus[];
  })
  .openapi({ description: `Comma-separated statuses: ${ORDER_STATUSES.join(", ")}`, example: "filled,cancelled" });

/** ISO 8601 with a time zone, or epoch milliseconds. */
const sinceParam = z
  .string()
  .transform((v, ctx) => {
    const ms = /^\d{1,16}$/.test(v) ? Number(v) : /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(v) ? Date.parse(v) : NaN;
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: "expected an ISO 8601 time such as 2026-01-05T09:00:00Z, or epoch milliseconds" });
      return z.NEVER;
    }
    return ms;
  })
  .openapi({ description: "Orders created at or after this time: ISO 8601 (with Z or an offset) or epoch milliseconds.", example: "2026-01-05T09:00:00Z" });

export const OrdersQuerySchema = z.strictObject({
  status: statusList.optional(),
  instrument: InstrumentSchema.optional(),
  since: sinceParam.optional(),
  limit: queryInt(100, 1, 1000),
  cursor: z.string().min(1).max(512).optional().openapi({ description: "nextCursor from the previous page." }),
});

/** What ApiDeps.orders.list receives: validated, with defaults applied. */
export interface OrdersFilter {
  status?: OrderStatus[];
  instrument?: string;
  /** Epoch milliseconds. */
  since?: number;
  limit: number;
  cursor?: string;
}

export const OrdersPageSchema = z
  .object({
    orders: z.array(OrderViewSchema).openapi({ description: "Newest first." }),
    nextCursor: z.string().nullable().openapi({ description: "Pass as ?cursor= for the next page; null on the last page." }),
  })
  .openapi("OrdersPage");

export const ClientIdParamSchema = z.object({
  clientId: z.string().min(1).max(128).openapi({ param: { name: "clientId", in: "path" }, example: "sk-op-7f3a" }),
});

export const SignalsQuerySchema = z.strictObject({ limit: queryInt(50, 1, 1000) });

export const DecisionsPageSchema = z.object({ decisions: z.array(DecisionViewSchema).openapi({ description: "Newest first." }) }).openapi("Decisions");
