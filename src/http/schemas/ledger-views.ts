// GET /trades and GET /pnl: trades and P/L derived from the broker's ledger (src/ledger).
// Response schemas: they document the API and are loaded with /openapi.json (routes/documented.ts).
import { z } from "@hono/zod-openapi";
import { CLOSE_REASONS } from "../../ledger/types.ts";
import { InstrumentSchema, IsoTimeSchema, SideSchema } from "./common.ts";
import { PNL_BY } from "./ledger.ts";

const money = z.number().openapi({ description: "Account currency (JPY on OANDA Japan), as the broker reports it." });

export const CloseReasonSchema = z.enum(CLOSE_REASONS).openapi("CloseReason", {
  description: "take_profit, stop_loss, margin_closeout: the broker's own orders; flatten, balancer, reduce_only: sekisho's orders (from the journal row of the closing order); manual: a close no journal row knows; other: anything else.",
});

export const TradeViewSchema = z
  .object({
    id: z.string().openapi({ description: "OANDA trade id (the id of the fill that opened it; the paging key).", example: "6410" }),
    instrument: InstrumentSchema,
    side: SideSchema,
    units: z.number().nullable().openapi({ description: "Units opened; null when opened before the first transaction in the ledger." }),
    openUnits: z.number().openapi({ description: "Units still open." }),
    openTime: IsoTimeSchema.nullable(),
    openPrice: z.number().nullable(),
    openTransactionId: z.string().nullable(),
    openClientId: z.string().nullable().openapi({ description: "Client id of the journal row that opened it." }),
    pocket: z.string().openapi({ description: "From the journal row or the trade's tag; manual for trades sekisho did not open." }),
    strategy: z.string(),
    worker: z.string().nullable(),
    state: z.enum(["open", "closed"]),
    closeTime: IsoTimeSchema.nullable(),
    closePrice: z.number().nullable().openapi({ description: "Average price of every reduction and the close." }),
    closedUnits: z.number(),
    closeReason: CloseReasonSchema.nullable(),
    closedBy: z.array(z.string()).openapi({ description: "OANDA's reason of each fill that reduced or closed it, first seen first (MARKET_ORDER, TAKE_PROFIT_ORDER, STOP_LOSS_ORDER, MARKET_ORDER_MARGIN_CLOSEOUT, ...)." }),
    closeTransactionId: z.string().nullable(),
    closeClientId: z.string().nullable(),
    realizedPL: money,
    financing: money,
    netPL: money.openapi({ description: "realizedPL + financing." }),
    unrealizedPL: z.number().nullable().openapi({ description: "Open trades: the broker's unrealized P/L now (null when it could not be read)." }),
  })
  .openapi("Trade");
export type TradeView = z.infer<typeof TradeViewSchema>;

export const TradesPageSchema = z.object({
  accountId: z.string().nullable(),
  trades: z.array(TradeViewSchema).openapi({ description: "Newest first." }),
  nextCursor: z.string().nullable().openapi({ description: "Pass as ?cursor= for the next page; null on the last page." }),
}).openapi("TradesPage");
export type TradesPage = z.infer<typeof TradesPageSchema>;

export const PnlRowSchema = z.object({
  key: z.string().openapi({ description: "The trading day (YYYY-MM-DD), pocket, strategy or instrument; total for the total row." }),
  realized: money,
  financing: money,
  fees: money.openapi({ description: "Commission and fees (0 on OANDA Japan)." }),
  net: money.openapi({ description: "realized + financing − fees: the balance change." }),
  unrealized: z.number().nullable().openapi({ description: "Open trades' unrealized P/L now; null when not known for this grouping." }),
  trades: z.number().int().openapi({ description: "Trades closed in the group." }),
  wins: z.number().int(),
  losses: z.number().int(),
  winRate: z.number().nullable(),
  profitFactor: z.number().nullable().openapi({ description: "Gross profit / gross loss of the closed trades; null when none lost." }),
  maxDrawdown: money.openapi({ description: "Largest fall of the running net P/L from its high, in time order." }),
}).openapi("PnlRow");

export const PnlReportSchema = z.object({
  by: z.enum(PNL_BY),
  accountId: z.string().nullable(),
  rows: z.array(PnlRowSchema),
  total: PnlRowSchema,
  unrealizedSource: z.enum(["broker", "snapshot", "none"]).openapi({ description: "broker: open trades read now; snapshot: the latest account snapshot (per instrument only); none." }),
  unrealizedAsOf: IsoTimeSchema.nullable(),
}).openapi("PnlReport");
export type PnlReportView = z.infer<typeof PnlReportSchema>;
