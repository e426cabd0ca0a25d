// GET /trades and GET /pnl: what a request may ask (validated). The answers' shapes (trades and
// P/L derived from the broker's ledger, src/ledger) are in ./ledger-views.ts.
import { z } from "@hono/zod-openapi";
import { CLOSE_REASONS } from "../../ledger/types.ts";
import { asIso, InstrumentSchema, timeQueryParam } from "./common.ts";
import { AccountIdParam, ModeParam } from "./journal.ts";

const queryInt = (def: number, min: number, max: number) =>
  z.string().regex(/^\d+$/, `expected a whole number in [${min}, ${max}]`).transform(Number)
    .refine((n) => n >= min && n <= max, `expected a whole number in [${min}, ${max}]`)
    .optional().transform((v) => v ?? def)
    .openapi({ type: "integer", minimum: min, maximum: max, default: def });

const isoParam = (description: string) => timeQueryParam(description, asIso);

const name = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "expected a name such as micro or range_break");

export const TradesQuerySchema = z.strictObject({
  state: z.enum(["open", "closed"], { message: "expected open or closed" }).optional(),
  instrument: InstrumentSchema.optional(),
  pocket: name.optional().openapi({ example: "micro" }),
  strategy: name.optional().openapi({ example: "range_break" }),
  reason: z.enum(CLOSE_REASONS, { message: `expected one of ${CLOSE_REASONS.join(", ")}` }).optional(),
  since: isoParam("Trades opened or closed at or after this time").optional(),
  account: AccountIdParam.optional(),
  mode: ModeParam.optional(),
  limit: queryInt(100, 1, 1000),
  cursor: z.string().min(1).max(32).optional().openapi({ description: "nextCursor from the previous page." }),
});
export type TradesQuery = z.infer<typeof TradesQuerySchema>;

export const PNL_BY = ["day", "pocket", "strategy", "instrument"] as const;

export const PnlQuerySchema = z.strictObject({
  by: z.enum(PNL_BY, { message: "expected day, pocket, strategy or instrument" }).optional().transform((v) => v ?? "day")
    .openapi({ default: "day", description: "day = OANDA's trading day, which ends 17:00 New York (named by the New York date it ends on)." }),
  from: isoParam("Only P/L at or after this time").optional(),
  to: isoParam("Only P/L before this time").optional(),
  account: AccountIdParam.optional(),
  mode: ModeParam.optional(),
});
export type PnlQuery = z.infer<typeof PnlQuerySchema>;

