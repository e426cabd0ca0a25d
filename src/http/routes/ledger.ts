// GET /trades and GET /pnl: what the agent earned, from the broker's ledger.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "../deps.ts";
import { PnlQuerySchema, TradesQuerySchema } from "../schemas/ledger.ts";
import { documented } from "./documented.ts";
import { jsonContent, READ_GET, READ_INPUT_ERRORS } from "./responses.ts";

const trades = createRoute({
  ...READ_GET, path: "/trades", request: { query: TradesQuerySchema },
  summary: "Open and closed trades from the broker's ledger, newest first, filtered and paged",
  responses: documented((s) => ({ 200: jsonContent(s.ledger.TradesPageSchema, "a page of trades"), ...READ_INPUT_ERRORS })),
});

const pnl = createRoute({
  ...READ_GET, path: "/pnl", request: { query: PnlQuerySchema },
  summary: "Realized P/L, financing, unrealized P/L, trades, win rate, profit factor and max drawdown by day, pocket, strategy or instrument",
  responses: documented((s) => ({ 200: jsonContent(s.ledger.PnlReportSchema, "P/L rows and the total"), ...READ_INPUT_ERRORS })),
});

export function registerLedgerRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(trades, async (c) => c.json(await deps.ledger.trades(c.req.valid("query")), 200));
  app.openapi(pnl, async (c) => c.json(await deps.ledger.pnl(c.req.valid("query")), 200));
}
