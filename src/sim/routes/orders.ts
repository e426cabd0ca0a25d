// The v20 writes: market orders, position closes and trade closes (with the faults that bite
// writes: a ghost fill's withheld answer, a halt after the nth write), and the order reads.
import type { Context } from "hono";
import { delay } from "../../core/async/delay.ts";
import type { Json } from "../engine.ts";
import * as V from "../views.ts";
import { A, error, INVALID, jsonBody, lastOf, type RouteContext, send } from "./context.ts";

export function orderRoutes({ app, engine, faults, submitLatencyMs, held, log }: RouteContext): void {
  /** The order reaches the matching engine this long after it arrives: prices may move meanwhile. */
  const submitLatency = async () => {
    if (submitLatencyMs > 0) await delay(submitLatencyMs);
  };
  /** faults.haltAfterWrites: the market halts right after the write that uses the last one up. */
  const haltIfDue = () => {
    if (!faults.afterWrite()) return;
    for (const name of engine.instrumentNames()) {
      const p = engine.price(name);
      if (p) engine.setPrice({ instrument: name, bid: p.bid, ask: p.ask, tradeable: false });
    }
  };
  /**
   * Ghost fill: the request was executed, the answer never comes. Hold until the client gives up
   * or the simulator closes. Applies to order POSTs and trade closes.
   */
  const ghost = async (c: Context) => {
    log?.warn({ path: c.req.path, lastTransactionID: engine.lastTransactionID }, "sim fault: ghost fill (response withheld)");
    await new Promise<void>((resolve) => {
      const done = () => {
        held.delete(done);
        resolve();
      };
      held.add(done);
      c.req.raw.signal?.addEventListener("abort", done);
    });
    return c.body(null, 504);
  };
  /** One write: its body read, the latency waited, the engine called, the faults applied. */
  const write = (run: (c: Context, body: unknown) => { status: number; body: Json }, onCreated?: (c: Context, body: Json) => void) => async (c: Context) => {
    const body = await jsonBody(c);
    if (body === INVALID) return error(c, 400, "Request body is not valid JSON", "INVALID_PARAMETER");
    await submitLatency();
    const r = run(c, body);
    haltIfDue();
    if (faults.takeGhost()) return ghost(c);
    if (r.status === 201) onCreated?.(c, r.body);
    return send(c, r.body, r.status);
  };

  app.put(`${A}/positions/:instrument/close`, write((c, body) => engine.closePosition(c.req.param("instrument")!, body)));
  app.put(`${A}/trades/:tradeSpecifier/close`, write((c, body) => engine.closeTrade(decodeURIComponent(c.req.param("tradeSpecifier")!), body)));
  app.post(`${A}/orders`, write((_c, body) => engine.createOrder(body), (c, body) => {
    c.header("Location", `/v3/accounts/${engine.accountId}/orders/${String((body.orderCreateTransaction as Json | undefined)?.id ?? "")}`);
  }));
  app.get(`${A}/orders`, (c) => {
    const state = c.req.query("state") ?? "PENDING";
    const inst = c.req.query("instrument");
    let list = engine.orders().filter((x) => state === "ALL" || x.state === state);
    if (inst) list = list.filter((x) => x.fields.instrument === inst);
    return send(c, { orders: list.reverse().slice(0, 500).map((x) => V.order(engine, x)), ...lastOf(engine) });
  });
  app.get(`${A}/pendingOrders`, (c) => send(c, { orders: engine.pendingOrders().map((x) => V.order(engine, x)), ...lastOf(engine) }));
  app.get(`${A}/orders/:orderSpecifier`, (c) => {
    const x = engine.order(decodeURIComponent(c.req.param("orderSpecifier")));
    if (!x) return error(c, 404, "The Order specified does not exist", "NO_SUCH_ORDER");
    return send(c, { order: V.order(engine, x), ...lastOf(engine) });
  });
}
