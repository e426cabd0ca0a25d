// The simulator without sockets: the real OandaClient speaks the v20 wire protocol to the
// simulator's Hono app through a fetch function that calls app.fetch directly. Same requests,
// same JSON, same client code as paper mode, but no ports and no event-loop round trips.
import type { Hono } from "hono";
import type { OandaClient } from "../oanda/index.ts";

/** The base URL the in-process client uses; never resolved, never connected to. */
export const IN_PROCESS_BASE_URL = "http://sim.replay.invalid";

export function inProcessFetch(app: Hono): typeof fetch {
  const f = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => Promise.resolve(app.fetch(new Request(input, init)));
  return f as typeof fetch;
}

/**
 * OANDA's rate limits (90 requests/s, 2 connections/s) are real-time token buckets inside the
 * client; against an in-process simulator they would only stretch a replay over wall-clock
 * minutes. OandaClient takes no limiter option, so replay swaps the buckets for open ones.
 */
export function removeRateLimits(client: OandaClient): void {
  const open = { take: () => Promise.resolve(), tryTake: () => true };
  Object.assign(client.limiter, { requests: open, connections: open });
}
