// The HTTP API (Hono). Routes read the agent through ApiDeps; nothing here trades.
// Order of checks on every request: token (when required everywhere) -> route guard (token for
// control, then body limit) -> input validation -> handler. Errors are always JSON.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ApiDeps } from "./deps.ts";
import { requireBearer } from "./auth.ts";
import { ApiError, issuesOf, jsonError } from "./errors.ts";
import { registerReadRoutes } from "./routes/read.ts";
import { registerControlRoutes } from "./routes/control.ts";
import { registerLedgerRoutes } from "./routes/ledger.ts";
import { registerHistoryRoute } from "./routes/history.ts";
import { registerConsoleRoutes } from "../console/routes.ts";
import { loadResponseSchemas } from "./routes/documented.ts";
import { VERSION } from "../core/version.ts";

export { isLoopbackHost } from "../core/loopback.ts";
export { bindingPolicy, MIN_REMOTE_TOKEN_LENGTH, type BindingDecision } from "./binding.ts";

export interface AppOptions {
  /** CONTROL_TOKEN. Without it the control endpoints answer 403 control_disabled. */
  controlToken?: string;
  /** True when the server is bound off loopback: then every endpoint needs the token. */
  requireTokenEverywhere: boolean;
  /** HTTP_BODY_LIMIT_BYTES: larger bodies get 413. */
  bodyLimitBytes: number;
  /** Told about unexpected errors (the client only sees a 500 with no internals). */
  onUnexpectedError?: (err: unknown, method: string, path: string) => void;
}

const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  // Live figures must never be served from a cache; no content sniffing of JSON as HTML.
  c.header("Cache-Control", "no-store");
  c.header("X-Content-Type-Options", "nosniff");
};

const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "sekisho API",
    version: VERSION,
    description: "Health, positions, order journal, trades and P/L from the broker's ledger, gate decisions, metrics and operator control of the sekisho FX agent.",
  },
};

export function createApp(deps: ApiDeps, opts: AppOptions): OpenAPIHono {
  const app = new OpenAPIHono({
    // Validation failures of query, params or body: 400 with every issue listed.
    defaultHook: (result, c) => {
      if (!result.success) {
        const where = result.target === "json" ? "body" : result.target;
        return jsonError(c, 400, "invalid_request", `invalid request ${where}`, issuesOf(result.error));
      }
    },
  });

  app.onError((err, c) => {
    if (err instanceof ApiError) return jsonError(c, err.status, err.code, err.message);
    // The journal's own input check (src/store JournalInputError: bad cursor, ...). Matched by
    // name so the HTTP layer does not load the database modules.
    if (err instanceof Error && err.name === "JournalInputError") return jsonError(c, 400, "invalid_request", err.message);
    if (err instanceof HTTPException) {
      if (err.status === 400) return jsonError(c, 400, "malformed_json", "the request body is not valid JSON");
      if (err.status === 415) return jsonError(c, 415, "unsupported_media_type", "send the body as Content-Type: application/json");
      if (err.status === 413) return jsonError(c, 413, "payload_too_large", `request body exceeds ${opts.bodyLimitBytes} bytes`);
      return jsonError(c, err.status, "http_error", err.message || "request refused");
    }
    opts.onUnexpectedError?.(err, c.req.method, c.req.path);
    return jsonError(c, 500, "internal_error", "internal error; see the server log");
  });

  app.notFound((c) => jsonError(c, 404, "not_found", `no endpoint ${c.req.method} ${c.req.path.slice(0, 200)}`));

  app.use("*", securityHeaders);
  // The dashboard's static shell first: it carries no data, and a browser cannot send a token
  // when it navigates (src/console/routes.ts). Everything it shows is read through the API below.
  registerConsoleRoutes(app);
  if (opts.requireTokenEverywhere) app.use("*", requireBearer(opts.controlToken));

  const limit = bodyLimit({
    maxSize: opts.bodyLimitBytes,
    onError: (c) => jsonError(c, 413, "payload_too_large", `request body exceeds ${opts.bodyLimitBytes} bytes`),
  });
  registerReadRoutes(app, deps);
  registerLedgerRoutes(app, deps);
  registerHistoryRoute(app, deps);
  registerControlRoutes(app, deps, [requireBearer(opts.controlToken), limit]);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "CONTROL_TOKEN. Needed by /control/*; needed by every endpoint when the server is bound off loopback.",
  });
  // As app.doc31 serves it, once the response schemas are loaded (they are imported on this
  // first request, not at start: routes/documented.ts).
  app.get("/openapi.json", async (c) => {
    await loadResponseSchemas();
    try {
      return c.json(app.getOpenAPI31Document(OPENAPI_INFO));
    } catch (e) {
      return c.json(e, 500);
    }
  });
  return app;
}
