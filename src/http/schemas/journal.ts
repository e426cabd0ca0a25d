// GET /orders, /orders/{clientId}, /signals: what a request may ask (queries and parameters,
// validated). The answers' shapes are in ./journal-views.ts.
import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES, type OrderStatus } from "../../core/orders.ts";
import { asIso, InstrumentSchema, timeQueryParam } from "./common.ts";

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

const statusParam = z.enum(ORDER_STATUSES, { message: `expected one of ${ORDER_STATUSES.join(", ")}` });

const sinceParam = timeQueryParam("Orders created at or after this time", asIso);

export const AccountIdParam = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "expected an OANDA account id such as 101-001-1234567-001")
  .openapi({ description: "Only this OANDA account.", example: "101-001-1234567-001" });
export const ModeParam = z.enum(["paper", "practice", "live"], { message: "expected paper, practice or live" })
  .openapi({ description: "Only this run mode." });

export const OrdersQuerySchema = z.strictObject({
  status: statusParam.optional(),
  instrument: InstrumentSchema.optional(),
  account: AccountIdParam.optional(),
  mode: ModeParam.optional(),
  since: sinceParam.optional(),
  limit: queryInt(100, 1, 1000),
  cursor: z.string().min(1).max(512).optional().openapi({ description: "nextCursor from the previous page." }),
});

/** What ApiDeps.orders.list receives: validated, defaults applied; the store's OrderFilter accepts it as is. */
export interface OrdersFilter {
  status?: OrderStatus;
  instrument?: string;
  accountId?: string;
  mode?: string;
  /** ISO 8601 UTC (epoch-ms input is converted). */
  since?: string;
  limit: number;
  cursor?: string;
}

export const ClientIdParamSchema = z.object({
  clientId: z.string().min(1).max(128).openapi({ param: { name: "clientId", in: "path" }, example: "sk-op-7f3a" }),
});

export const SignalsQuerySchema = z.strictObject({ limit: queryInt(50, 1, 1000) });

