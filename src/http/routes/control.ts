// Operator actions. Every route here needs the bearer token, then the body limit, then input
// validation, in that order: an unauthenticated caller learns nothing about the rest.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { ApiDeps, Actor } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { FlattenQuerySchema, KillQuerySchema, OperatorSignalInputSchema, WorkerQuerySchema } from "../schemas/control.ts";
import { documented } from "./documented.ts";
import { ERR_400, ERR_401, ERR_403, ERR_413, ERR_415, ERR_422, ERR_500, ERR_503, jsonContent } from "./responses.ts";

const SECURITY = [{ bearer: [] as string[] }];
const COMMON_ERRORS = { 400: ERR_400, 401: ERR_401, 403: ERR_403, 413: ERR_413, 500: ERR_500 } as const;

/** Optional `X-Sekisho-Actor: <name>` names the operator in the journal; the token never does. */
export const ACTOR_HEADER = "X-Sekisho-Actor";

export function actorOf(c: Context): Actor {
  const raw = c.req.header(ACTOR_HEADER);
  if (raw === undefined) return "api:operator";
  const name = raw.trim();
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name)) {
    throw new ApiError(400, "invalid_actor", `${ACTOR_HEADER} must be 1-64 characters of A-Z a-z 0-9 _ . @ -`);
  }
  return `api:${name}`;
}

export function registerControlRoutes(app: OpenAPIHono, deps: ApiDeps, guard: MiddlewareHandler[]): void {
  /** What every control route shares: POST, and the guard (bearer token, then body limit) before anything else. */
  const post = { method: "post" as const, tags: ["control"], security: SECURITY, middleware: guard };
  const pauseOrResume = (action: "pause" | "resume") =>
    createRoute({
      ...post, path: `/control/${action}`,
      summary: action === "pause" ? "Pause all workers or one (?worker=): their signals are skipped" : "Resume all workers or one (?worker=)",
      request: { query: WorkerQuerySchema },
      responses: documented((s) => ({ 200: jsonContent(s.control.ControlStateSchema, "the control state after the change"), ...COMMON_ERRORS })),
    });

  app.openapi(pauseOrResume("pause"), async (c) => {
    const { worker } = c.req.valid("query");
    return c.json(await deps.control.pause(worker, actorOf(c)), 200);
  });
  app.openapi(pauseOrResume("resume"), async (c) => {
    const { worker } = c.req.valid("query");
    return c.json(await deps.control.resume(worker, actorOf(c)), 200);
  });

  const kill = createRoute({
    ...post, path: "/control/kill",
    summary: "Kill switch: stop all entries at once (?flatten=1 also closes sekisho's positions, reduce-only)",
    request: { query: KillQuerySchema },
    responses: documented((s) => ({ 200: jsonContent(s.control.KillResultSchema, "the control state, and the flatten orders when asked"), ...COMMON_ERRORS })),
  });
  app.openapi(kill, async (c) => {
    const { flatten } = c.req.valid("query");
    return c.json(await deps.control.kill({ flatten: flatten ?? false }, actorOf(c)), 200);
  });

  const flatten = createRoute({
    ...post, path: "/control/flatten",
    summary: "Close sekisho's positions (not the manual pocket) in one instrument or all, with REDUCE_ONLY orders",
    request: { query: FlattenQuerySchema },
    responses: documented((s) => ({ 200: jsonContent(s.control.FlattenResultSchema, "the orders sent"), ...COMMON_ERRORS })),
  });
  app.openapi(flatten, async (c) => {
    const { instrument } = c.req.valid("query");
    return c.json(await deps.control.flatten(instrument, actorOf(c)), 200);
  });

  const ackAlerts = createRoute({
    ...post, path: "/control/ack-alerts",
    summary: "Acknowledge the ledger's alerts (late or unattributed fills, margin closeouts): /health is ok again until the next one",
    responses: documented((s) => ({ 200: jsonContent(s.health.AckAlertsResultSchema, "the ledger check after the acknowledgement"), ...COMMON_ERRORS })),
  });
  app.openapi(ackAlerts, async (c) => c.json(await deps.control.ackAlerts(actorOf(c)), 200));

  const signal = createRoute({
    ...post, path: "/control/signal",
    summary: "Put an operator trade through the gate; answers with the gate's decision",
    request: { body: { required: true, content: { "application/json": { schema: OperatorSignalInputSchema } } } },
    responses: documented((s) => ({
      200: jsonContent(s.control.GateDecisionViewSchema, "the gate's decision: accepted (`ok`, or `resized` with `details.limitedBy` naming the limit that sized it down) or skipped (reason, figures)"),
      202: jsonContent(s.control.PendingSignalSchema, "the order may have been sent and its fate is not known yet: follow GET /orders/{clientId}; never resend under a new id"),
      ...COMMON_ERRORS,
      415: ERR_415,
      422: ERR_422,
      503: ERR_503,
    })),
  });
  app.openapi(signal, async (c) => {
    const input = c.req.valid("json");
    const r = await deps.control.submitSignal(input, actorOf(c));
    return "status" in r ? c.json(r, 202) : c.json(r, 200);
  });
}
