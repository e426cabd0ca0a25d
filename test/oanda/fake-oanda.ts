// A small OANDA v20 stand-in (Hono, served on loopback with serveHttp) for the client's
// integration tests, until src/sim is ready. It answers with OANDA's field names and decimal
// strings, keeps transactions with increasing IDs, serves both streams with heartbeats, and can
// inject the faults the client must survive. It counts requests per route so tests can prove
// an order POST was sent exactly once.
import { Hono } from "hono";
import { serveHttp, type RunningServer } from "../../src/runtime/runtime.ts";

export const TOKEN = "test-token-5f1c9a-do-not-log";
export const ACCOUNT = "101-001-1234567-001";

export interface Faults {
  /** Fail the next N reads (GET, non-stream) with this status. */
  readFailures?: { status: number; count: number; retryAfter?: string };
  /** Fail the next order POST with this status (before executing it). */
  orderFailure?: { status: number; retryAfter?: string };
  /** Execute the next order but never answer (the ghost fill). */
  ghostNextOrder?: boolean;
  /** Close each stream connection after this many lines. */
  dropStreamAfterLines?: number;
  /** Send this many lines on the next pricing connection, then go silent without closing. */
  stallPricingAfterLines?: number;
  /** Send this many lines on the next transaction-stream connection, then go silent. */
  stallTransactionsAfterLines?: number;
  /** Send these raw lines first on the next pricing connection. */
  rawPricingLines?: string[];
  /** Keep the next N new transactions off the transaction stream (they stay in sinceid). */
  hideNextTransactions?: number;
  /** Mark the instrument not tradeable in PRICE lines. */
  notTradeable?: boolean;
}

type Tx = Record<string, unknown> & { id: string; type: string; time: string };

interface Conn {
  send(line: string): void;
  close(): void;
  lines: number;
  stalled: boolean;
}

export interface FakeOanda {
  restUrl: string;
  streamUrl: string;
  faults: Faults;
  counts: Map<string, number>;
  transactions: Tx[];
  orderBodies: unknown[];
  bid: number;
  ask: number;
  activeStreams(): number;
  /** Append a transaction and push it to connected transaction streams. */
  addTransaction(t: Omit<Tx, "id" | "time">): Tx;
  close(): Promise<void>;
}

export async function startFakeOanda(opts: { heartbeatMs?: number; priceMs?: number } = {}): Promise<FakeOanda> {
  const heartbeatMs = opts.heartbeatMs ?? 100;
  const priceMs = opts.priceMs ?? 50;
  const app = new Hono();
  const counts = new Map<string, number>();
  const transactions: Tx[] = [];
  const orderBodies: unknown[] = [];
  const orders = new Map<string, { order: Record<string, unknown> }>();
  const txStreams = new Set<Conn>();
  const allStreams = new Set<Conn>();
  const hanging = new Set<() => void>();
  let nextId = 100;
  const now = () => new Date().toISOString().replace("Z", "000000Z");
  const faults: Faults = {};
  const state = { bid: 157.12, ask: 157.135 };

  const count = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  const addTransaction = (t: Omit<Tx, "id" | "time">): Tx => {
    const tx = { ...t, id: String(++nextId), time: now(), accountID: ACCOUNT } as unknown as Tx;
    transactions.push(tx);
    if (faults.hideNextTransactions) {
      faults.hideNextTransactions--;
      return tx;
    }
    for (const c of txStreams) if (!c.stalled) c.send(JSON.stringify(tx));
    return tx;
  };

  app.use("*", async (c, next) => {
    if (c.req.header("Authorization") !== `Bearer ${TOKEN}`) return c.json({ errorMessage: "Insufficient authorization to perform request." }, 401);
    await next();
  });
  // Read faults apply to REST GETs only.
  app.use("/v3/*", async (c, next) => {
    const f = faults.readFailures;
    if (c.req.method === "GET" && !c.req.path.endsWith("/stream") && f && f.count > 0) {
      f.count--;
      count(`fail ${c.req.method}`);
      const headers: Record<string, string> = f.retryAfter ? { "Retry-After": f.retryAfter } : {};
      return c.json({ errorMessage: "injected failure" }, f.status as 503, headers);
    }
    await next();
  });

  const a = `/v3/accounts/:id`;
  app.get(`${a}/summary`, (c) => {
    count("GET summary");
    return c.json({ account: { id: ACCOUNT, currency: "JPY", balance: "500000.0000", NAV: "500000.0000", unrealizedPL: "0.0000", marginUsed: "0.0000", marginAvailable: "500000.0000", marginCloseoutPercent: "0.00000", hedgingEnabled: true, lastTransactionID: String(nextId) }, lastTransactionID: String(nextId) });
  });
  app.get(`${a}/openPositions`, (c) => {
    count("GET openPositions");
    return c.json({ positions: [{ instrument: "USD_JPY", long: { units: "50000", averagePrice: "157.100", tradeIDs: ["7"] }, short: { units: "-45000", averagePrice: "157.200", tradeIDs: ["8"] }, unrealizedPL: "-120.5000", marginUsed: "31420.0000" }], lastTransactionID: String(nextId) });
  });
  app.get(`${a}/instruments`, (c) => {
    count("GET instruments");
    return c.json({ instruments: [{ name: "USD_JPY", type: "CURRENCY", displayName: "USD/JPY", pipLocation: -2, displayPrecision: 3, tradeUnitsPrecision: 0, minimumTradeSize: "1", marginRate: "0.04" }], lastTransactionID: String(nextId) });
  });
  app.get(`${a}/pricing`, (c) => {
    count("GET pricing");
    return c.json({ time: now(), prices: [price()] });
  });
  app.get(`${a}/transactions/sinceid`, (c) => {
    count("GET sinceid");
    const since = BigInt(c.req.query("id") ?? "0");
    return c.json({ transactions: transactions.filter((t) => BigInt(t.id) > since), lastTransactionID: String(nextId) });
  });
  app.get(`${a}/transactions/stream`, (c) => {
    count("GET transactions/stream");
    const stall = faults.stallTransactionsAfterLines;
    faults.stallTransactionsAfterLines = undefined;
    return streamResponse(c.req.raw.signal, txStreams, stall, [], () => JSON.stringify({ type: "HEARTBEAT", lastTransactionID: String(nextId), time: now() }), undefined);
  });
  app.get(`${a}/transactions/:tid`, (c) => {
    count("GET transaction");
    const t = transactions.find((x) => x.id === c.req.param("tid"));
    return t ? c.json({ transaction: t, lastTransactionID: String(nextId) }) : c.json({ errorMessage: "Transaction not found" }, 404);
  });
  app.get(`${a}/orders/:spec`, (c) => {
    count("GET order");
    const spec = c.req.param("spec");
    const o = spec.startsWith("@") ? orders.get(spec.slice(1)) : undefined;
    return o ? c.json({ order: o.order, lastTransactionID: String(nextId) }) : c.json({ errorCode: "ORDER_DOESNT_EXIST", errorMessage: "Order does not exist" }, 404);
  });
  app.get(`${a}/pricing/stream`, (c) => {
    count("GET pricing/stream");
    const stall = faults.stallPricingAfterLines;
    faults.stallPricingAfterLines = undefined;
    const raw = faults.rawPricingLines ?? [];
    faults.rawPricingLines = undefined;
    return streamResponse(c.req.raw.signal, undefined, stall, raw, () => JSON.stringify({ type: "HEARTBEAT", time: now() }), () => JSON.stringify(price()));
  });

  app.post(`${a}/orders`, async (c) => {
    count("POST orders");
    const body = (await c.req.json()) as { order: Record<string, string> & { clientExtensions: { id: string } } };
    orderBodies.push(body);
    if (faults.orderFailure) {
      const f = faults.orderFailure;
      faults.orderFailure = undefined;
      return c.json({ errorMessage: "injected failure" }, f.status as 503, f.retryAfter ? { "Retry-After": f.retryAfter } : {});
    }
    const o = body.order;
    const clientId = o.clientExtensions.id;
    if (orders.has(clientId)) {
      const rej = addTransaction({ type: "MARKET_ORDER_REJECT", rejectReason: "CLIENT_ORDER_ID_ALREADY_EXISTS", instrument: o.instrument, units: o.units, reason: "CLIENT_ORDER" });
      return c.json({ orderRejectTransaction: rej, relatedTransactionIDs: [rej.id], lastTransactionID: rej.id, errorCode: "CLIENT_ORDER_ID_ALREADY_EXISTS", errorMessage: "Client order ID already exists" }, 400);
    }
    const create = addTransaction({ type: "MARKET_ORDER", instrument: o.instrument, units: o.units, timeInForce: o.timeInForce, positionFill: o.positionFill, reason: "CLIENT_ORDER", clientExtensions: o.clientExtensions });
    const units = Number(o.units);
    const px = units > 0 ? state.ask : state.bid;
    const order: Record<string, unknown> = { id: create.id, type: "MARKET", state: "PENDING", instrument: o.instrument, units: o.units, createTime: create.time, clientExtensions: o.clientExtensions };
    orders.set(clientId, { order });
    let result: Record<string, unknown>;
    const bound = o.priceBound !== undefined ? Number(o.priceBound) : undefined;
    if (faults.notTradeable || (bound !== undefined && (units > 0 ? px > bound : px < bound))) {
      const cancel = addTransaction({ type: "ORDER_CANCEL", orderID: create.id, clientOrderID: clientId, reason: faults.notTradeable ? "MARKET_HALTED" : "BOUNDS_VIOLATION" });
      Object.assign(order, { state: "CANCELLED", cancellingTransactionID: cancel.id, cancelledTime: cancel.time });
      result = { orderCreateTransaction: create, orderCancelTransaction: cancel, relatedTransactionIDs: [create.id, cancel.id], lastTransactionID: cancel.id };
    } else {
      const fill = addTransaction({ type: "ORDER_FILL", orderID: create.id, clientOrderID: clientId, instrument: o.instrument, units: o.units, price: px.toFixed(3), reason: "MARKET_ORDER", tradeOpened: { tradeID: String(nextId + 1), units: o.units, price: px.toFixed(3) } });
      Object.assign(order, { state: "FILLED", fillingTransactionID: fill.id, filledTime: fill.time, tradeOpenedID: String(nextId + 1) });
      result = { orderCreateTransaction: create, orderFillTransaction: fill, relatedTransactionIDs: [create.id, fill.id], lastTransactionID: fill.id };
    }
    if (faults.ghostNextOrder) {
      faults.ghostNextOrder = undefined;
      // Executed, but the answer never leaves: hold the request until the client gives up.
      await new Promise<void>((resolve) => {
        hanging.add(resolve);
        c.req.raw.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      return c.json({ errorMessage: "too late" }, 504);
    }
    return c.json(result, 201);
  });

  function price() {
    return {
      type: "PRICE", instrument: "USD_JPY", time: now(), status: faults.notTradeable ? "non-tradeable" : "tradeable", tradeable: !faults.notTradeable,
      bids: [{ price: state.bid.toFixed(3), liquidity: 1000000 }], asks: [{ price: state.ask.toFixed(3), liquidity: 1000000 }],
      closeoutBid: (state.bid - 0.01).toFixed(3), closeoutAsk: (state.ask + 0.01).toFixed(3),
    };
  }

  function streamResponse(reqSignal: AbortSignal, registry: Set<Conn> | undefined, stallAfter: number | undefined, rawFirst: string[], heartbeat: () => string, nextPrice: (() => string) | undefined): Response {
    const enc = new TextEncoder();
    let timers: ReturnType<typeof setInterval>[] = [];
    let conn!: Conn;
    const body = new ReadableStream<Uint8Array>({
      start(ctrl) {
        let open = true;
        conn = {
          lines: 0,
          stalled: false,
          send(line) {
            if (!open || conn.stalled) return;
            ctrl.enqueue(enc.encode(line + "\n"));
            conn.lines++;
            if (stallAfter !== undefined && conn.lines >= stallAfter) conn.stalled = true;
            if (faults.dropStreamAfterLines !== undefined && conn.lines >= faults.dropStreamAfterLines) conn.close();
          },
          close() {
            if (!open) return;
            open = false;
            for (const t of timers) clearInterval(t);
            timers = [];
            registry?.delete(conn);
            allStreams.delete(conn);
            try {
              ctrl.close();
            } catch { /* already closed */ }
          },
        };
        allStreams.add(conn);
        registry?.add(conn);
        for (const l of rawFirst) ctrl.enqueue(enc.encode(l));
        conn.send(heartbeat());
        timers.push(setInterval(() => conn.send(heartbeat()), heartbeatMs));
        if (nextPrice) timers.push(setInterval(() => conn.send(nextPrice()), priceMs));
        reqSignal.addEventListener("abort", () => conn.close(), { once: true });
      },
      cancel() {
        conn.close();
      },
    });
    return new Response(body, { headers: { "Content-Type": "application/octet-stream" } });
  }

  const server: RunningServer = await serveHttp(app.fetch, { hostname: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    restUrl: base,
    streamUrl: base,
    faults,
    counts,
    transactions,
    orderBodies,
    get bid() { return state.bid; },
    set bid(v: number) { state.bid = v; },
    get ask() { return state.ask; },
    set ask(v: number) { state.ask = v; },
    activeStreams: () => allStreams.size,
    addTransaction,
    async close() {
      for (const r of hanging) r();
      for (const c of [...allStreams]) c.close();
      await server.close();
    },
  };
}

/** Poll until `cond` holds (integration tests wait for events, never for fixed times). */
export async function until(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
