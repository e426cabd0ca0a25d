// GET /trades and GET /pnl: what the agent earned, from the broker's ledger.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "../deps.ts";
import { PnlQuerySchema, PnlReportSchema, TradesPageSchema, TradesQuerySchema } from "../schemas/ledger.ts";
import { ERR_400, ERR_401_REMOTE, ERR_500, jsonContent } from "./responses.ts";


const trades = createRoute({
  method: "get",
  path: "/trades",
  tags: ["read"],
  summary: "Open and closed trades from the broker's ledger, newest first, filtered and paged",
  request: { query: TradesQuerySchema },
  responses: { 200: jsonContent(TradesPageSchema, "a page of trades"), 400: ERR_400, 401: ERR_401_REMOTE, 500: ERR_500 },
});

const pnl = createRoute({
  method: "get",
  path: "/pnl",
  tags: ["read"],
  summary: "Realized P/L, financing, unrealized P/L, trades, win rate, profit factor and max drawdown by day, pocket, strategy or instrument",
  request: { query: PnlQuerySchema },
  responses: { 200: jsonContent(PnlReportSchema, "P/L rows and the total"), 400: ERR_400, 401: ERR_401_REMOTE, 500: ERR_500 },
});

export function registerLedgerRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(trades, async (c) => c.json(await deps.ledger.trades(c.req.valid("query")), 200));
  app.openapi(pnl, async (c) => c.json(await deps.ledger.pnl(c.req.valid("query")), 200));
}
