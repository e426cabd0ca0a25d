// GET /history: account figures over time (NAV, margin usage...) for charts.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "../deps.ts";
import { defaultSince, HistoryQuerySchema, HistoryReportSchema } from "../schemas/history.ts";
import { jsonContent, READ_GET, READ_INPUT_ERRORS } from "./responses.ts";

const route = createRoute({
  ...READ_GET, path: "/history", request: { query: HistoryQuerySchema },
  summary: "Account figures over time (NAV, balance, margin used and usage), from the snapshots the agent records",
  responses: { 200: jsonContent(HistoryReportSchema, "one [time, value] list per requested series"), ...READ_INPUT_ERRORS },
});

export function registerHistoryRoute(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const sinceMs = q.since ?? defaultSince(Date.now());
    return c.json(await deps.history({ series: q.series, sinceMs, untilMs: q.until, max: q.max }), 200);
  });
}
