// Read-only endpoints: health, positions, orders, decisions, metrics, config.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiDeps } from "../deps.ts";
import { errorBody } from "../errors.ts";
import { ClientIdParamSchema, OrdersQuerySchema, SignalsQuerySchema } from "../schemas/journal.ts";
import { ErrorBodySchema } from "../schemas/common.ts";
import { documented } from "./documented.ts";
import { ERR_401_REMOTE, ERR_404, jsonContent, READ_ERRORS, READ_GET, READ_INPUT_ERRORS } from "./responses.ts";

/** Prometheus text exposition format 0.0.4, what every Prometheus server scrapes. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const health = createRoute({
  ...READ_GET, path: "/health",
  summary: "Overall status and per-component checks",
  responses: documented((s) => ({
    200: jsonContent(s.health.HealthReportSchema, "ok or degraded"),
    401: ERR_401_REMOTE,
    503: jsonContent(z.union([s.health.HealthReportSchema, ErrorBodySchema]), "down; or an Error (code health_unavailable) when the report itself failed"),
  })),
});

const positions = createRoute({
  ...READ_GET, path: "/positions",
  summary: "Positions per instrument, account margin figures, hedge headroom",
  responses: documented((s) => ({ 200: jsonContent(s.positions.PositionsReportSchema, "positions"), ...READ_ERRORS })),
});

const ordersList = createRoute({
  ...READ_GET, path: "/orders", request: { query: OrdersQuerySchema },
  summary: "The order journal, newest first, filtered and paged",
  responses: documented((s) => ({ 200: jsonContent(s.journal.OrdersPageSchema, "a page of orders"), ...READ_INPUT_ERRORS })),
});

const orderGet = createRoute({
  ...READ_GET, path: "/orders/{clientId}", request: { params: ClientIdParamSchema },
  summary: "One order by its client id",
  responses: documented((s) => ({ 200: jsonContent(s.journal.OrderViewSchema, "the order"), 404: ERR_404, ...READ_ERRORS })),
});

const signals = createRoute({
  ...READ_GET, path: "/signals", request: { query: SignalsQuerySchema },
  summary: "Recent gate decisions with their reasons",
  responses: documented((s) => ({ 200: jsonContent(s.journal.DecisionsPageSchema, "decisions, newest first"), ...READ_INPUT_ERRORS })),
});

const metrics = createRoute({
  ...READ_GET, path: "/metrics",
  summary: "Prometheus metrics (text format 0.0.4)",
  responses: { 200: { description: "metrics", content: { "text/plain": { schema: z.string() } } }, ...READ_ERRORS },
});

const config = createRoute({
  ...READ_GET, path: "/config",
  summary: "Effective configuration, secrets redacted",
  responses: {
    200: jsonContent(z.record(z.string(), z.unknown()).openapi("EffectiveConfig"), "every setting; OANDA_TOKEN, TURSO_AUTH_TOKEN and CONTROL_TOKEN read [redacted]"),
    ...READ_ERRORS,
  },
});

export function registerReadRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(health, async (c) => {
    let report;
    try {
      report = await deps.health();
    } catch {
      // A health check that cannot even report is "down" to a load balancer or Kubernetes.
      return c.json(errorBody("health_unavailable", "the health report could not be produced"), 503);
    }
    return c.json(report, report.status === "down" ? 503 : 200);
  });

  app.openapi(positions, async (c) => c.json(await deps.positions(), 200));

  app.openapi(ordersList, async (c) => {
    const q = c.req.valid("query");
    const page = await deps.orders.list({ status: q.status, instrument: q.instrument, accountId: q.account, mode: q.mode, since: q.since, limit: q.limit, cursor: q.cursor });
    return c.json({ orders: page.rows, nextCursor: page.nextCursor ?? null }, 200);
  });

  app.openapi(orderGet, async (c) => {
    const { clientId } = c.req.valid("param");
    const row = await deps.orders.get(clientId);
    if (!row) return c.json(errorBody("order_not_found", "no order with this client id"), 404);
    return c.json(row, 200);
  });

  app.openapi(signals, async (c) => {
    const { limit } = c.req.valid("query");
    return c.json({ decisions: await deps.signals(limit) }, 200);
  });

  app.openapi(metrics, async (c) => {
    const text = await deps.metrics.text();
    return c.text(text, 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE });
  });

  app.openapi(config, (c) => c.json(deps.config(), 200));
}
