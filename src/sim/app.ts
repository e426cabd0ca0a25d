// The simulator's HTTP surface: OANDA v20 REST and streams under /v3 (Bearer auth, 401 on a
// bad token, 404 for another account), plus /sim/* for tests and operators (faults, prices).
// This file holds the guards every /v3 request passes; the routes are in routes/, by role:
// account reads (account.ts), writes and orders (orders.ts), prices and controls (market.ts).
import { Hono, type MiddlewareHandler } from "hono";
import type { Logger } from "../core/log.ts";
import type { SimEngine } from "./engine.ts";
import type { FaultState } from "./faults.ts";
import type { StreamDeps } from "./streams.ts";
import { accountRoutes } from "./routes/account.ts";
import { delay } from "../core/async/delay.ts";
import { error, type RouteContext } from "./routes/context.ts";
import { controlRoutes, marketRoutes } from "./routes/market.ts";
import { orderRoutes } from "./routes/orders.ts";

export interface SimAppOptions {
  engine: SimEngine;
  token: string;
  faults: FaultState;
  heartbeatMs: number;
  /** Time between an order or close arriving and its execution (the scenario's execution.submitLatencyMs). */
  submitLatencyMs?: number;
  /** Gap between two prices of one instrument on one stream; default 250 ms (4 a second). */
  throttleMs?: number;
  log?: Logger;
}

export interface SimApp {
  app: Hono;
  /** End every open stream and release every held (ghost) request. */
  shutdown(): void;
}

export function createSimApp(o: SimAppOptions): SimApp {
  const { engine, faults } = o;
  const app = new Hono();
  const openStreams = new Set<() => void>();
  const held = new Set<() => void>();
  const streams: StreamDeps = { engine, faults, heartbeatMs: o.heartbeatMs, throttleMs: o.throttleMs ?? 250, open: openStreams };
  const ctx: RouteContext = { app, engine, faults, streams, log: o.log, submitLatencyMs: o.submitLatencyMs ?? 0, held };
  let requestSeq = 0;

  // /sim: control, no auth, no faults
  controlRoutes(ctx);

  // ---------------------------------------------------------------- /v3 guards
  app.use("/v3/*", async (c, next) => {
    requestSeq += 1;
    c.header("RequestID", String(engine.createdTime * 1000 + requestSeq));
    const auth = c.req.header("Authorization");
    if (auth !== `Bearer ${o.token}`) {
      return error(c, 401, "Insufficient authorization to perform request.");
    }
    const isStream = c.req.path.endsWith("/stream");
    if (!isStream) {
      const f = faults.get();
      // A broker has the whole request before it takes its time: the body is read (Hono keeps
      // it for the route) before the latency fault holds the answer, so an order whose client
      // dies meanwhile is still executed, as OANDA would. Read later, it depended on whether the
      // server had read the body off the socket before the client's connection closed.
      if (f.latencyMs > 0 && c.req.method !== "GET" && c.req.method !== "HEAD") await c.req.text().catch(() => "");
      if (f.latencyMs > 0) await delay(f.latencyMs);
      if (faults.rollError()) {
        if (f.errorStatus === 429) c.header("Retry-After", String(f.retryAfterSec));
        return error(c, f.errorStatus, f.errorStatus === 429 ? "Rate limit violation" : "Internal server error (injected fault)");
      }
    }
    // Time-driven events (financing, the maintenance window) are due before anything is read.
    engine.advanceClock();
    await next();
  });
  const sameAccount: MiddlewareHandler = async (c, next) => {
    if (c.req.param("accountID") !== engine.accountId) {
      return error(c, 404, `The account ${c.req.param("accountID")} does not exist`, "NO_SUCH_ACCOUNT");
    }
    await next();
  };
  app.use("/v3/accounts/:accountID/*", sameAccount);
  app.use("/v3/accounts/:accountID", sameAccount);

  accountRoutes(ctx);
  orderRoutes(ctx);
  marketRoutes(ctx);

  app.notFound((c) => error(c, 404, `No such endpoint: ${c.req.method} ${c.req.path}`));
  app.onError((e, c) => {
    o.log?.error({ err: e }, "sim request failed");
    return error(c, 500, "Internal server error");
  });

  return {
    app,
    shutdown() {
      for (const f of [...openStreams]) f();
      for (const f of [...held]) f();
    },
  };
}
