// The simulator without sockets, for tests: the real OandaClient speaks the v20 wire protocol to
// the simulator's Hono app through a fetch function that calls app.fetch directly. Same requests,
// same JSON, same client code as paper mode, but no ports. Replay itself no longer needs it (it
// reads the engine through src/sim/in-process-venue.ts); the venue's equivalence test does: the
// venue and the client over this HTTP path must give equal answers.
import type { Hono } from "hono";

/** The base URL the in-process client uses; never resolved, never connected to. */
export const IN_PROCESS_BASE_URL = "http://sim.replay.invalid";

export function inProcessFetch(app: Hono): typeof fetch {
  const f = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => Promise.resolve(app.fetch(new Request(input, init)));
  return f as typeof fetch;
}

