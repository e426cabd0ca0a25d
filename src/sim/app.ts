// The simulator's HTTP surface: OANDA v20 REST and streams under /v3 (Bearer auth, 401 on a
// bad token, 404 for another account), plus /sim/* for tests and operators (faults, prices).
// Over 300 lines on purpose: it is the route table of the whole v20 surface, one short block per
// endpoint, all behind the same guards; the work is in the engine and the views.
import { Hono, type Context } from "hono";
import type { Logger } from "../core/log.ts";
import { GRANULARITY_SECONDS, buildCandles } from "./candles.ts";
import type { Json, SimEngine } from "./engine.ts";
import type { FaultState } from "./faults.ts";
import { fmtTime, toUnixTimes } from "./format.ts";
import { parseFaultsPatch, ScenarioError } from "./scenario.ts";
import { pricingStream, transactionStream, type StreamDeps } from "./streams.ts";
import * as V from "./views.ts";

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

const STREAM_HEADERS = { "Content-Type": "application/octet-stream", "Cache-Control": "no-cache" };

export function createSimApp(o: SimAppOptions): SimApp {
  const { engine, faults } = o;
  const app = new Hono();
  const openStreams = new Set<() => void>();
  const held = new Set<() => void>();
  const deps: StreamDeps = { engine, faults, heartbeatMs: o.heartbeatMs, throttleMs: o.throttleMs ?? 250, open: openStreams };
  let requestSeq = 0;
  /** The order reaches the matching engine this long after it arrives: prices may move meanwhile. */
  const submitLatency = async () => {
    if ((o.submitLatencyMs ?? 0) > 0) await sleep(o.submitLatencyMs!);
  };

  const send = (c: Context, body: Json, status = 200) => {
    const unix = c.req.header("Accept-Datetime-Format")?.toUpperCase() === "UNIX";
    return c.newResponse(JSON.stringify(unix ? toUnixTimes(body) : body), status as 200, { "Content-Type": "application/json" });
  };
  const error = (c: Context, status: number, errorMessage: string, errorCode?: string) =>
    send(c, { errorMessage, ...(errorCode ? { errorCode } : {}) }, status);

  /**
   * Ghost fill: the request was executed, the answer never comes. Hold until the client gives up
   * or the simulator closes. Applies to order POSTs and trade closes.
   */
  const ghost = async (c: Context) => {
    o.log?.warn({ path: c.req.path, lastTransactionID: engine.lastTransactionID }, "sim fault: ghost fill (response withheld)");
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

  // ---------------------------------------------------------------- /sim: control, no auth, no faults
  app.get("/sim/faults", (c) => c.json(faults.get()));
  app.post("/sim/faults", async (c) => {
    try {
      return c.json(faults.set(parseFaultsPatch(await c.req.json())));
    } catch (e) {
      return c.json({ errorMessage: e instanceof ScenarioError ? e.message : "expected a JSON object of faults" }, 400);
    }
  });
  app.post("/sim/price", async (c) => {
    let b: Json;
    try {
      b = await c.req.json();
    } catch {
      return c.json({ errorMessage: "expected JSON {instrument, bid, ask, tradeable?}" }, 400);
    }
    const bid = Number(b.bid);
    const ask = Number(b.ask);
    if (typeof b.instrument !== "string" || !engine.hasInstrument(b.instrument)) {
      return c.json({ errorMessage: `instrument must be one of ${engine.instrumentNames().join(", ")}` }, 400);
    }
    if (!(bid > 0 && ask >= bid)) return c.json({ errorMessage: "expected 0 < bid <= ask" }, 400);
    if (b.tradeable !== undefined && typeof b.tradeable !== "boolean") return c.json({ errorMessage: "tradeable must be true or false" }, 400);
    engine.setPrice({ instrument: b.instrument, bid, ask, tradeable: b.tradeable as boolean | undefined });
    return c.json({ price: engine.clientPrice(b.instrument), lastTransactionID: engine.lastTransactionID });
  });

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
      if (f.latencyMs > 0) await sleep(f.latencyMs);
      if (faults.rollError()) {
        if (f.errorStatus === 429) c.header("Retry-After", String(f.retryAfterSec));
        return error(c, f.errorStatus, f.errorStatus === 429 ? "Rate limit violation" : "Internal server error (injected fault)");
      }
    }
    // Time-driven events (financing, the maintenance window) are due before anything is read.
    engine.advanceClock();
    await next();
  });
  app.use("/v3/accounts/:accountID/*", async (c, next) => {
    if (c.req.param("accountID") !== engine.accountId) {
      return error(c, 404, `The account ${c.req.param("accountID")} does not exist`, "NO_SUCH_ACCOUNT");
    }
    await next();
  });
  app.use("/v3/accounts/:accountID", async (c, next) => {
    if (c.req.param("accountID") !== engine.accountId) {
      return error(c, 404, `The account ${c.req.param("accountID")} does not exist`, "NO_SUCH_ACCOUNT");
    }
    await next();
  });

  const last = () => ({ lastTransactionID: engine.lastTransactionID });
  /** faults.haltAfterWrites: the market halts right after the write that uses the last one up. */
  const haltIfDue = () => {
    if (!faults.afterWrite()) return;
    for (const name of engine.instrumentNames()) {
      const p = engine.price(name);
      if (p) engine.setPrice({ instrument: name, bid: p.bid, ask: p.ask, tradeable: false });
    }
  };
  const instrumentsParam = (c: Context): string[] | Response => {
    const raw = c.req.query("instruments");
    if (!raw) return error(c, 400, "Invalid value specified for 'instruments'");
    const list = raw.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = list.find((i) => !engine.hasInstrument(i));
    if (bad || list.length === 0) return error(c, 400, `Invalid value specified for 'instruments': ${bad ?? raw}`);
    return list;
  };

  // ---------------------------------------------------------------- accounts
  const A = "/v3/accounts/:accountID";
  app.get("/v3/accounts", (c) => send(c, { accounts: [{ id: engine.accountId, tags: [] }] }));
  app.get(A, (c) => send(c, { account: V.accountFull(engine), ...last() }));
  app.get(`${A}/summary`, (c) => send(c, { account: V.accountSummary(engine), ...last() }));
  app.get(`${A}/instruments`, (c) => {
    const raw = c.req.query("instruments");
    const names = raw ? raw.split(",").filter((i) => engine.hasInstrument(i)) : engine.instrumentNames();
    return send(c, { instruments: names.map((i) => V.instrument(engine, i)), ...last() });
  });
  app.get(`${A}/changes`, (c) => {
    const since = idParam(c.req.query("sinceTransactionID"));
    if (since === undefined) return error(c, 400, "Invalid value specified for 'sinceTransactionID'", "INVALID_PARAMETER");
    if (since > Number(engine.lastTransactionID)) return error(c, 416, "The sinceTransactionID is later than the last transaction", "INVALID_RANGE");
    return send(c, V.changes(engine, since));
  });

  // ---------------------------------------------------------------- positions
  app.get(`${A}/positions`, (c) => send(c, { positions: V.positionInstruments(engine).map((i) => V.position(engine, i)), ...last() }));
  app.get(`${A}/openPositions`, (c) => send(c, { positions: V.openPositionInstruments(engine).map((i) => V.position(engine, i)), ...last() }));
  app.get(`${A}/positions/:instrument`, (c) => {
    const i = c.req.param("instrument");
    if (!engine.hasInstrument(i)) return error(c, 404, `Invalid value specified for 'instrument'`, "INSTRUMENT_UNKNOWN");
    return send(c, { position: V.position(engine, i), ...last() });
  });
  app.put(`${A}/positions/:instrument/close`, async (c) => {
    const body = await jsonBody(c);
    if (body === INVALID) return error(c, 400, "Request body is not valid JSON", "INVALID_PARAMETER");
    await submitLatency();
    const r = engine.closePosition(c.req.param("instrument"), body);
    haltIfDue();
    if (faults.takeGhost()) return ghost(c);
    return send(c, r.body, r.status);
  });

  // ---------------------------------------------------------------- trades
  app.get(`${A}/trades`, (c) => {
    const state = c.req.query("state") ?? "OPEN";
    const inst = c.req.query("instrument");
    const count = Math.min(500, Number(c.req.query("count") ?? 50) || 50);
    const ids = c.req.query("ids")?.split(",");
    let list = engine.allTrades().filter((t) => (state === "ALL" ? true : state === "CLOSED" ? t.currentUnits === 0 : t.currentUnits !== 0));
    if (inst) list = list.filter((t) => t.instrument === inst);
    if (ids) list = list.filter((t) => ids.includes(t.id));
    list = list.reverse().slice(0, count);
    return send(c, { trades: list.map((t) => V.trade(engine, t)), ...last() });
  });
  app.get(`${A}/openTrades`, (c) => send(c, { trades: engine.openTrades().reverse().map((t) => V.trade(engine, t)), ...last() }));
  app.get(`${A}/trades/:tradeSpecifier`, (c) => {
    const s = c.req.param("tradeSpecifier");
    const t = engine.tradeBySpecifier(decodeURIComponent(s));
    if (!t) return error(c, 404, "The Trade specified does not exist", "NO_SUCH_TRADE");
    return send(c, { trade: V.trade(engine, t), ...last() });
  });
  app.put(`${A}/trades/:tradeSpecifier/close`, async (c) => {
    const body = await jsonBody(c);
    if (body === INVALID) return error(c, 400, "Request body is not valid JSON", "INVALID_PARAMETER");
    await submitLatency();
    const r = engine.closeTrade(decodeURIComponent(c.req.param("tradeSpecifier")), body);
    haltIfDue();
    if (faults.takeGhost()) return ghost(c);
    return send(c, r.body, r.status);
  });

  // ---------------------------------------------------------------- orders
  app.post(`${A}/orders`, async (c) => {
    const body = await jsonBody(c);
    if (body === INVALID) return error(c, 400, "Request body is not valid JSON", "INVALID_PARAMETER");
    await submitLatency();
    const r = engine.createOrder(body);
    haltIfDue();
    if (faults.takeGhost()) return ghost(c);
    if (r.status === 201) c.header("Location", `/v3/accounts/${engine.accountId}/orders/${String((r.body.orderCreateTransaction as Json | undefined)?.id ?? "")}`);
    return send(c, r.body, r.status);
  });
  app.get(`${A}/orders`, (c) => {
    const state = c.req.query("state") ?? "PENDING";
    const inst = c.req.query("instrument");
    let list = engine.orders().filter((x) => state === "ALL" || x.state === state);
    if (inst) list = list.filter((x) => x.fields.instrument === inst);
    return send(c, { orders: list.reverse().slice(0, 500).map((x) => V.order(engine, x)), ...last() });
  });
  app.get(`${A}/pendingOrders`, (c) => send(c, { orders: engine.pendingOrders().map((x) => V.order(engine, x)), ...last() }));
  app.get(`${A}/orders/:orderSpecifier`, (c) => {
    const x = engine.order(decodeURIComponent(c.req.param("orderSpecifier")));
    if (!x) return error(c, 404, "The Order specified does not exist", "NO_SUCH_ORDER");
    return send(c, { order: V.order(engine, x), ...last() });
  });

  // ---------------------------------------------------------------- transactions
  app.get(`${A}/transactions/stream`, (c) => c.newResponse(transactionStream(deps, c.req.raw.signal), 200, STREAM_HEADERS));
  app.get(`${A}/transactions/sinceid`, (c) => {
    const id = idParam(c.req.query("id"));
    if (id === undefined) return error(c, 400, "Invalid value specified for 'id'", "INVALID_PARAMETER");
    if (id > Number(engine.lastTransactionID)) return error(c, 416, "The id is later than the last transaction", "INVALID_RANGE");
    return send(c, { transactions: engine.transactionsSince(id), ...last() });
  });
  app.get(`${A}/transactions/idrange`, (c) => {
    const from = idParam(c.req.query("from"));
    const to = idParam(c.req.query("to"));
    if (from === undefined || to === undefined || to < from) return error(c, 400, "Invalid value specified for 'from'/'to'", "INVALID_PARAMETER");
    return send(c, { transactions: engine.transactions().filter((t) => Number(t.id) >= from && Number(t.id) <= to), ...last() });
  });
  app.get(`${A}/transactions/:transactionID`, (c) => {
    const t = engine.transactions().find((x) => x.id === c.req.param("transactionID"));
    if (!t) return error(c, 404, "The Transaction specified does not exist", "NO_SUCH_TRANSACTION");
    return send(c, { transaction: t, ...last() });
  });
  app.get(`${A}/transactions`, (c) => {
    const txs = engine.transactions();
    return send(c, { from: fmtTime(engine.createdTime), to: fmtTime(engine.clock.now()), pageSize: 100, count: txs.length, pages: [], ...last() });
  });

  // ---------------------------------------------------------------- pricing
  app.get(`${A}/pricing`, (c) => {
    const list = instrumentsParam(c);
    if (list instanceof Response) return list;
    // includeHomeConversions=true: OANDA's factors for every currency it trades. The simulator
    // has no spread on conversions: gain, loss and position value are all the mid factor.
    const conversions = c.req.query("includeHomeConversions") === "true" ? { homeConversions: V.homeConversions(engine) } : {};
    return send(c, { prices: list.map((i) => engine.clientPrice(i)), ...conversions, time: fmtTime(engine.clock.now()) });
  });
  app.get(`${A}/pricing/stream`, (c) => {
    const list = instrumentsParam(c);
    if (list instanceof Response) return list;
    const snapshot = c.req.query("snapshot");
    if (snapshot !== undefined && snapshot !== "true" && snapshot !== "false") return error(c, 400, "Invalid value specified for 'snapshot'", "INVALID_PARAMETER");
    return c.newResponse(pricingStream(deps, list, c.req.raw.signal, snapshot !== "false"), 200, STREAM_HEADERS);
  });

  // ---------------------------------------------------------------- candles
  const candles = (c: Context) => {
    const instrument = c.req.param("instrument")!;
    if (!engine.hasInstrument(instrument)) return error(c, 400, `Invalid value specified for 'instrument'`, "INVALID_PARAMETER");
    const granularity = c.req.query("granularity") ?? "S5";
    if (!(granularity in GRANULARITY_SECONDS)) return error(c, 400, `Invalid value specified for 'granularity': the simulator serves ${Object.keys(GRANULARITY_SECONDS).join(", ")}`, "INVALID_PARAMETER");
    const price = (c.req.query("price") ?? "M").toUpperCase();
    if (!/^[MBA]{1,3}$/.test(price)) return error(c, 400, "Invalid value specified for 'price'", "INVALID_PARAMETER");
    const count = c.req.query("count") === undefined ? 500 : Number(c.req.query("count"));
    if (!Number.isInteger(count) || count < 1 || count > 5000) return error(c, 400, "Invalid value specified for 'count': 1..5000", "INVALID_PARAMETER");
    const from = timeParam(c.req.query("from"));
    const to = timeParam(c.req.query("to"));
    if (from === null || to === null) return error(c, 400, "Invalid value specified for 'from'/'to'", "INVALID_PARAMETER");
    const list = buildCandles({
      instrument, spec: engine.spec(instrument), ticks: engine.history.ticks(instrument), granularity, count: from !== undefined && to !== undefined && c.req.query("count") === undefined ? 5000 : count,
      price, from, to, now: engine.clock.now(),
    });
    return send(c, { instrument, granularity, candles: list });
  };
  app.get("/v3/instruments/:instrument/candles", candles);
  app.get(`${A}/instruments/:instrument/candles`, candles);

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

const INVALID = Symbol("invalid");

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function idParam(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** RFC 3339 or UNIX seconds; undefined when absent, null when malformed. */
function timeParam(v: string | undefined): number | undefined | null {
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
