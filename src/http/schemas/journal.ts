// GET /orders, /orders/{clientId}, /signals: views of the order journal and of gate decisions.
// The journal (src/store) owns the rows; these are the shapes the API promises. Extra columns a
// row may carry are served too (responses are not stripped), so the store can grow freely.
import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES, type OrderStatus } from "../../core/orders.ts";
import { asIso, InstrumentSchema, IsoTimeSchema, SideSchema, timeQueryParam } from "./common.ts";

export const OrderStatusSchema = z.enum(ORDER_STATUSES).openapi("OrderStatus");

const iso = IsoTimeSchema;
const isoOrNull = IsoTimeSchema.nullable();

/** Mirrors src/store's OrderRow field for field (deps.ts checks the two stay assignable). */
const orderFields = {
  id: z.number().int().openapi({ description: "Journal row id (also the paging key)." }),
  clientId: z.string().openapi({ description: "clientExtensions.id, derived from the signal id.", example: "sk-op-7f3a" }),
  signalId: z.string(),
  worker: z.string(),
  strategy: z.string(),
  pocket: z.string(),
  instrument: InstrumentSchema,
  side: SideSchema,
  requestedUnits: z.number().nonnegative(),
  filledUnits: z.number().nullable(),
  reduceOnly: z.boolean(),
  positionFill: z.string().openapi({ example: "REDUCE_ONLY" }),
  priceBound: z.number().nullable(),
  tpPrice: z.number().nullable(),
  slPrice: z.number().nullable(),
  status: OrderStatusSchema,
  oandaOrderId: z.string().nullable(),
  oandaTradeId: z.string().nullable(),
  oandaTransactionId: z.string().nullable(),
  fillPrice: z.number().nullable(),
  cancelReason: z.string().nullable(),
  rejectReason: z.string().nullable(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  note: z.string().nullable(),
  requestJson: z.string().nullable().openapi({ description: "The order request as sent (JSON text)." }),
  responseJson: z.string().nullable().openapi({ description: "The broker's answer (JSON text)." }),
  intentAt: iso,
  submittedAt: isoOrNull,
  unknownAt: isoOrNull,
  filledAt: isoOrNull,
  cancelledAt: isoOrNull,
  rejectedAt: isoOrNull,
  reconciledAt: isoOrNull,
  updatedAt: iso,
  accountId: z.string().nullable().openapi({ description: "The OANDA account the order was for (null on rows of unknown origin from before the column existed)." }),
  mode: z.enum(["paper", "practice", "live"]).nullable().openapi({ description: "The run mode the order was made in (null like accountId)." }),
};

/** One trade-close leg of a signal (a journal row of its own). */
export const OrderLegSchema = z.object(orderFields).openapi("OrderLeg");

export const OrderViewSchema = z
  .object({
    ...orderFields,
    legs: z.array(OrderLegSchema).optional().openapi({
      description: "When a signal closed trades by id: one row per trade close (the fields above are the first leg's, with status and units summed up over the legs).",
    }),
  })
  .openapi("Order");
export type OrderView = z.infer<typeof OrderViewSchema>;

/** Mirrors src/store's DecisionRow. */
export const DecisionViewSchema = z
  .object({
    id: z.number().int(),
    ts: iso,
    signalId: z.string(),
    worker: z.string(),
    strategy: z.string(),
    pocket: z.string(),
    instrument: z.string(),
    side: SideSchema,
    outcome: z.enum(["accepted", "skipped", "error"]),
    reason: z.string().nullable().openapi({ example: "spread" }),
    units: z.number().nullable().openapi({ description: "Units sent (accepted decisions)." }),
    detail: z.unknown().openapi({ description: "The numbers behind the decision." }),
    clientId: z.string().nullable(),
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
