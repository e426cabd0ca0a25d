// GET /positions: what the account holds, what it costs in margin, and how much room is left.
import { z } from "@hono/zod-openapi";
import { InstrumentSchema, IsoTimeSchema, MarginModelSchema, MarginModelSettingSchema } from "./common.ts";

const units = z.number().nonnegative();

export const PocketPositionSchema = z
  .object({
    pocket: z.enum(["macro", "micro", "scalp", "scalp_fast", "manual"]),
    long: units,
    short: units,
    trades: z.number().int().nonnegative(),
  })
  .openapi("PocketPosition");

export const HeadroomSchema = z
  .object({
    units: units.openapi({ description: "allowed_lot for this side right now: the most units the gate would add." }),
    reason: z.string().openapi({ description: "allowed_lot's reason (ok, margin_budget, dir_cap, low_free_margin, ...).", example: "ok" }),
    netReducing: z.boolean().openapi({ description: "True when an entry on this side lowers |net| (the hedging direction)." }),
  })
  .openapi("Headroom");

export const InstrumentPositionSchema = z
  .object({
    instrument: InstrumentSchema,
    long: units,
    short: units,
    net: z.number().openapi({ description: "long - short" }),
    avgLongPrice: z.number().nullable(),
    avgShortPrice: z.number().nullable(),
    unrealizedPL: z.number(),
    price: z
      .object({ bid: z.number(), ask: z.number(), mid: z.number(), ageMs: z.number().nonnegative() })
      .nullable()
      .openapi({ description: "Latest price; null before the first tick." }),
    margin: z.object({
      model: z.number().openapi({ description: "Margin under the model in force (home currency)." }),
      broker: z.number().nullable().openapi({ description: "Margin the broker reports for this instrument, when it does." }),
    }),
    closeoutMovePips: z.number().nonnegative().nullable().openapi({
      description: "Adverse move of this instrument's price, in pips, against its net position (others unchanged) that would bring the account to margin closeout. null when net is 0 or no price.",
    }),
    headroom: z.object({ buy: HeadroomSchema, sell: HeadroomSchema }),
    pockets: z.array(PocketPositionSchema),
  })
  .openapi("InstrumentPosition");

export const AccountFiguresSchema = z
  .object({
    id: z.string(),
    currency: z.string().openapi({ example: "JPY" }),
    balance: z.number(),
    nav: z.number(),
    unrealizedPL: z.number(),
    marginUsed: z.number(),
    marginAvailable: z.number(),
    margin_usage_ratio: z.number().openapi({ description: "marginUsed / NAV" }),
    free_margin_ratio: z.number().openapi({ description: "marginAvailable / NAV" }),
    marginCloseoutPercent: z.number().openapi({ description: "As OANDA reports it; closeout happens at 1 (100%)." }),
    marginModel: z.object({ setting: MarginModelSettingSchema, inForce: MarginModelSchema }),
    marginBudget: z.number().optional().openapi({ description: "B = NAV x min(MAX_MARGIN_USAGE, 0.92) x MARGIN_SAFETY_FACTOR" }),
  })
  .openapi("AccountFigures");

export const PositionsReportSchema = z
  .object({
    asOf: IsoTimeSchema.openapi({ description: "When the account state was last refreshed from the broker." }),
    account: AccountFiguresSchema,
    instruments: z.array(InstrumentPositionSchema),
  })
  .openapi("PositionsReport");
export type PositionsReport = z.infer<typeof PositionsReportSchema>;
export type InstrumentPosition = z.infer<typeof InstrumentPositionSchema>;
