// What every route of the simulator's HTTP surface shares: the engine, the faults, the v20 JSON
// answer and error shapes, and the readers of path and query values. createSimApp builds one and
// hands it to each group of routes (account.ts, orders.ts, market.ts).
import type { Context, Hono } from "hono";
import type { Logger } from "../../core/log.ts";
import type { Json, SimEngine } from "../engine.ts";
import type { FaultState } from "../faults.ts";
import { toUnixTimes } from "../format.ts";
import type { StreamDeps } from "../streams.ts";

export interface RouteContext {
  app: Hono;
  engine: SimEngine;
  faults: FaultState;
  streams: StreamDeps;
  log?: Logger;
  /** Time between an order or close arriving and its execution. */
  submitLatencyMs: number;
  /** Requests held by a ghost fill, released at shutdown. */
  held: Set<() => void>;
}

export const STREAM_HEADERS = { "Content-Type": "application/octet-stream", "Cache-Control": "no-cache" };

/** The account routes' prefix. */
export const A = "/v3/accounts/:accountID";

/** A JSON answer, with times in UNIX form when the client asked for it (Accept-Datetime-Format). */
export function send(c: Context, body: Json, status = 200): Response {
  const unix = c.req.header("Accept-Datetime-Format")?.toUpperCase() === "UNIX";
  return c.newResponse(JSON.stringify(unix ? toUnixTimes(body) : body), status as 200, { "Content-Type": "application/json" });
}

export function error(c: Context, status: number, errorMessage: string, errorCode?: string): Response {
  return send(c, { errorMessage, ...(errorCode ? { errorCode } : {}) }, status);
}

export const lastOf = (engine: SimEngine) => ({ lastTransactionID: engine.lastTransactionID });

export const INVALID = Symbol("invalid");

export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

export function idParam(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** RFC 3339 or UNIX seconds; undefined when absent, null when malformed. */
export function timeParam(v: string | undefined): number | undefined | null {
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}
