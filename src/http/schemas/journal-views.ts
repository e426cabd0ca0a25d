// GET /orders, /orders/{clientId}, /signals: views of the order journal and of gate decisions.
// The journal (src/store) owns the rows; these are the shapes the API promises. Extra columns a
// row may carry are served too (responses are not stripped), so the store can grow freely.
// Response schemas: they document the API and are loaded with /openapi.json (routes/documented.ts).
import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES } from "../../core/orders.ts";
import { InstrumentSchema, IsoTimeSchema, SideSchema } from "./common.ts";

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

export const OrdersPageSchema = z
  .object({
    orders: z.array(OrderViewSchema).openapi({ description: "Newest first." }),
    nextCursor: z.string().nullable().openapi({ description: "Pass as ?cursor= for the next page; null on the last page." }),
  })
  .openapi("OrdersPage");

export const DecisionsPageSchema = z.object({ decisions: z.array(DecisionViewSchema).openapi({ description: "Newest first." }) }).openapi("Decisions");
