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
      description: "Adverse move of this instrument's price, in pips (others unchanged), that brings the account to the broker's loss-cut under the closeout rule and margin model in force: NAV moves with the net units, margin with the charged units (the larger side under max_side). 0 at or past the loss-cut; null when no move reaches it or there is no price.",
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
    closeout: z
      .object({
        rule: z.enum(["japan", "half"]).openapi({ description: "Loss-cut rule in force: japan = closeout at marginUsed/NAV 100%; half = when NAV falls to half the margin used." }),
        ruleSetting: z.enum(["auto", "japan", "half"]),
        usage: z.number().openapi({ description: "marginCloseoutPercent under the rule in force (closeout at 1)." }),
        distancePips: z.number().nonnegative().nullable().openapi({ description: "The nearest loss-cut: the smallest per-instrument closeoutMovePips; null when no move reaches it." }),
        instrument: z.string().nullable(),
        direction: z.enum(["up", "down"]).nullable(),
      })
      .openapi({ description: "Distance to the broker's loss-cut for the account." }),
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
