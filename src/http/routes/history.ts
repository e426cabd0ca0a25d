// GET /history: account figures over time (NAV, margin usage...) for charts.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "../deps.ts";
import { defaultSince, HistoryQuerySchema, HistoryReportSchema } from "../schemas/history.ts";
import { ERR_400, ERR_401_REMOTE, ERR_500, jsonContent } from "./responses.ts";

const route = createRoute({
  method: "get",
  path: "/history",
  tags: ["read"],
  summary: "Account figures over time (NAV, balance, margin used and usage), from the snapshots the agent records",
  request: { query: HistoryQuerySchema },
  responses: {
    200: jsonContent(HistoryReportSchema, "one [time, value] list per requested series"),
    400: ERR_400,
    401: ERR_401_REMOTE,
    500: ERR_500,
  },
});

export function registerHistoryRoute(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const sinceMs = q.since ?? defaultSince(Date.now());
    return c.json(await deps.history({ series: q.series, sinceMs, untilMs: q.until, max: q.max }), 200);
  });
}
