// Fidelity against things no one here wrote: OANDA's official v20 spec (Swagger 2.0, validated
// with ajv) and OANDA's official JavaScript client (@oanda/v20).
import Ajv, { type ValidateFunction } from "ajv";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimHandle } from "../../src/sim/index.ts";
import { hasSharedData, readSharedJson } from "../helpers/shared-data.ts";
import { api, lineReader } from "./http.ts";

type J = Record<string, any>;

describe.skipIf(!hasSharedData)("simulator responses validate against OANDA's v20 spec", () => {
  let spec: J;
  let ajv: Ajv;
  let sim: SimHandle;
  const compiled = new Map<string, ValidateFunction>();

  beforeAll(async () => {
    spec = readSharedJson<J>("oanda", "v20-openapi", "v20.json");
    // The spec declares no required fields and allows extra properties, so a misspelt field would
    // pass. A strict copy forbids properties a definition does not declare: every field we send
    // must exist in OANDA's definition of that object.
    const strict = JSON.parse(JSON.stringify(spec.definitions), (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v) && v.properties && !v.$ref ? { ...v, additionalProperties: false } : v);
    ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: "v20.json", definitions: spec.definitions });
    ajv.addSchema({ $id: "strict.json", definitions: JSON.parse(JSON.stringify(strict).replaceAll('"#/definitions/', '"strict.json#/definitions/')) });
    sim = await startSimulator({ scenario: { ticks: { source: "fixed" }, heartbeatMs: 50, maintenance: false, positions: [{ instrument: "USD_JPY", long: 3000, short: 1000 }] } });
  });
  afterAll(async () => {
    await sim?.close();
  });

  /** The spec's response schema for an operation and status, refs pointed at the definitions. */
  function response(path: string, method: string, status: string): ValidateFunction {
    const key = `${method} ${path} ${status}`;
    let v = compiled.get(key);
    if (!v) {
      let r = spec.paths[path][method].responses[status];
      if (r.$ref) r = spec.responses[r.$ref.split("/").pop()]; // shared responses (401, 404, ...)
      const schema = r.schema;
      v = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"v20.json#/definitions/')));
      compiled.set(key, v);
    }
    return v;
  }
  const definition = (name: string) => ajv.getSchema(`strict.json#/definitions/${name}`)!;

  function check(v: ValidateFunction, data: unknown, what: string) {
    const ok = v(data);
    expect(ok, `${what}: ${JSON.stringify(v.errors?.slice(0, 3))}`).toBe(true);
  }

  const TX_DEF: Record<string, string> = {
    CREATE: "CreateTransaction", TRANSFER_FUNDS: "TransferFundsTransaction", MARKET_ORDER: "MarketOrderTransaction",
    MARKET_ORDER_REJECT: "MarketOrderRejectTransaction", ORDER_FILL: "OrderFillTransaction", ORDER_CANCEL: "OrderCancelTransaction",
    TAKE_PROFIT_ORDER: "TakeProfitOrderTransaction", STOP_LOSS_ORDER: "StopLossOrderTransaction", DAILY_FINANCING: "DailyFinancingTransaction",
  };
  const ORDER_DEF: Record<string, string> = { MARKET: "MarketOrder", TAKE_PROFIT: "TakeProfitOrder", STOP_LOSS: "StopLossOrder" };
  const checkTx = (t: J) => check(definition(TX_DEF[t.type] ?? "missing"), t, `transaction ${t.type}`);

  it("account, summary, instruments, positions, trades", async () => {
    const c = api(sim);
    check(response("/accounts", "get", "200"), (await c.get(`${sim.restUrl}/v3/accounts`)).body, "accounts");
    const acct = (await c.get("")).body;
    check(response("/accounts/{accountID}", "get", "200"), acct, "account");
    check(definition("Account"), { ...acct.account, trades: [], positions: [], orders: [] }, "Account (strict)");
    acct.account.trades.forEach((t: J) => check(definition("TradeSummary"), t, "TradeSummary"));
    acct.account.positions.forEach((p: J) => check(definition("Position"), p, "Position"));
    const summary = (await c.get("/summary")).body;
    check(response("/accounts/{accountID}/summary", "get", "200"), summary, "summary");
    check(definition("AccountSummary"), summary.account, "AccountSummary (strict)");
    expect(definition("AccountSummary")({ ...summary.account, nav: "1" }), "the strict copy must catch a misspelt field").toBe(false);
    const inst = (await c.get("/instruments")).body;
    check(response("/accounts/{accountID}/instruments", "get", "200"), inst, "instruments");
    inst.instruments.forEach((i: J) => check(definition("Instrument"), i, "Instrument"));
    const open = (await c.get("/openPositions")).body;
    check(response("/accounts/{accountID}/openPositions", "get", "200"), open, "openPositions");
    open.positions.forEach((p: J) => check(definition("Position"), p, "Position"));
    check(response("/accounts/{accountID}/positions/{instrument}", "get", "200"), (await c.get("/positions/USD_JPY")).body, "position");
    const trades = (await c.get("/openTrades")).body;
    check(response("/accounts/{accountID}/openTrades", "get", "200"), trades, "openTrades");
    trades.trades.forEach((t: J) => check(definition("Trade"), t, "Trade"));
  });

  it("orders: fill with TP/SL, each cancel, reject, lookup by @clientID, transactions, changes, close", async () => {
    const c = api(sim);
    const since = (await c.get("/summary")).body.lastTransactionID;
    const post = (o: J) => c.send("POST", "/orders", { order: { type: "MARKET", instrument: "USD_JPY", timeInForce: "FOK", ...o } });
    const fill = await post({ units: "1000", clientExtensions: { id: "fid-1", tag: "sekisho:micro:t", comment: "c" }, tradeClientExtensions: { id: "fid-t1", tag: "sekisho:micro:t" }, takeProfitOnFill: { price: "156.000" }, stopLossOnFill: { price: "154.000" } });
    expect(fill.status).toBe(201);
    check(response("/accounts/{accountID}/orders", "post", "201"), fill.body, "order 201 fill");
    checkTx(fill.body.orderCreateTransaction);
    checkTx(fill.body.orderFillTransaction);
    for (const o of [{ units: "1000", priceBound: "150.000" }, { units: "1000", halted: true }, { units: "90000000" }]) {
      const p = sim.engine.price("USD_JPY")!;
      if (o.halted) sim.engine.setPrice({ ...p, tradeable: false });
      const r = await post({ units: o.units, ...(o.priceBound ? { priceBound: o.priceBound } : {}) });
      sim.engine.setPrice({ ...p, tradeable: true });
      expect(r.body.orderCancelTransaction, JSON.stringify(o)).toBeDefined();
      check(response("/accounts/{accountID}/orders", "post", "201"), r.body, "order 201 cancel");
      checkTx(r.body.orderCancelTransaction);
    }
    const rej = await post({ units: "1000", clientExtensions: { id: "fid-1" } });
    expect(rej.status).toBe(400);
    check(response("/accounts/{accountID}/orders", "post", "400"), rej.body, "order 400");
    checkTx(rej.body.orderRejectTransaction);
    const byClient = (await c.get("/orders/@fid-1")).body;
    check(response("/accounts/{accountID}/orders/{orderSpecifier}", "get", "200"), byClient, "order lookup");
    check(definition(ORDER_DEF[byClient.order.type]!), byClient.order, "MarketOrder");
    const trades = (await c.get("/openTrades")).body;
    const withTp = trades.trades.find((t: J) => t.takeProfitOrder);
    check(definition("Trade"), withTp, "Trade with TP/SL");
    check(definition("TakeProfitOrder"), withTp.takeProfitOrder, "TakeProfitOrder");
    check(definition("StopLossOrder"), withTp.stopLossOrder, "StopLossOrder");
    const sinceid = (await c.get(`/transactions/sinceid?id=${since}`)).body;
    check(response("/accounts/{accountID}/transactions/sinceid", "get", "200"), sinceid, "sinceid");
    sinceid.transactions.forEach(checkTx);
    (await c.get("/transactions/sinceid?id=0")).body.transactions.forEach(checkTx);
    const changes = (await c.get(`/changes?sinceTransactionID=${since}`)).body;
    check(response("/accounts/{accountID}/changes", "get", "200"), changes, "changes");
    check(definition("AccountChangesState"), { ...changes.state, orders: [], trades: [], positions: [] }, "AccountChangesState");
    changes.state.trades.forEach((t: J) => check(definition("CalculatedTradeState"), t, "CalculatedTradeState"));
    changes.state.positions.forEach((p: J) => check(definition("CalculatedPositionState"), p, "CalculatedPositionState"));
    const close = await c.send("PUT", "/positions/USD_JPY/close", { shortUnits: "ALL" });
    check(response("/accounts/{accountID}/positions/{instrument}/close", "put", "200"), close.body, "close 200");
    checkTx(close.body.shortOrderCreateTransaction);
    checkTx(close.body.shortOrderFillTransaction);
    const bad = await c.send("PUT", "/positions/USD_JPY/close", { shortUnits: "ALL" });
    check(response("/accounts/{accountID}/positions/{instrument}/close", "put", "400"), bad.body, "close 400");
    checkTx(bad.body.shortOrderRejectTransaction);
  });

  it("trade close: partial fill, ALL by @clientTradeID, MARKET_HALTED cancel, 400 reject, 404", async () => {
    const c = api(sim);
    const path = "/accounts/{accountID}/trades/{tradeSpecifier}/close";
    const opened = await c.send("POST", "/orders", { order: { type: "MARKET", instrument: "USD_JPY", units: "-2000", tradeClientExtensions: { id: "fid-close-1" } } });
    const id = opened.body.orderFillTransaction.tradeOpened.tradeID;
    const part = await c.send("PUT", `/trades/${id}/close`, { units: "500" });
    expect(part.status).toBe(200);
    check(response(path, "put", "200"), part.body, "trade close 200 (partial)");
    checkTx(part.body.orderCreateTransaction);
    checkTx(part.body.orderFillTransaction);
    check(definition("MarketOrder"), (await c.get(`/orders/${part.body.orderCreateTransaction.id}`)).body.order, "MarketOrder with tradeClose");
    const p = sim.engine.price("USD_JPY")!;
    sim.engine.setPrice({ ...p, tradeable: false });
    const halted = await c.send("PUT", `/trades/${id}/close`, { units: "ALL" });
    sim.engine.setPrice({ ...p, tradeable: true });
    check(response(path, "put", "200"), halted.body, "trade close 200 (cancel)");
    checkTx(halted.body.orderCancelTransaction);
    const rej = await c.send("PUT", `/trades/${id}/close`, { units: "1501" });
    expect(rej.status).toBe(400);
    check(response(path, "put", "400"), rej.body, "trade close 400");
    checkTx(rej.body.orderRejectTransaction);
    const all = await c.send("PUT", "/trades/@fid-close-1/close", { units: "ALL" });
    check(response(path, "put", "200"), all.body, "trade close 200 (ALL)");
    expect(all.body.orderFillTransaction.tradesClosed[0].tradeID).toBe(id);
    const gone = await c.send("PUT", `/trades/${id}/close`, { units: "ALL" });
    expect(gone.status).toBe(404);
    check(response(path, "put", "404"), gone.body, "trade close 404");
  });

  it("OANDA Japan's account: DAILY_FINANCING, fill-loss cancels, a margin closeout, and the summary after them", async () => {
    // A manual clock from Tuesday noon UTC, past that day's 17:00 New York close.
    let now = Date.UTC(2025, 11, 30, 12, 0, 0);
    const s = await startSimulator({
      scenario: { ticks: { source: "fixed" }, account: { balance: 100_000 }, instruments: { USD_JPY: { bid: 150, ask: 150.008 } }, positions: [{ instrument: "USD_JPY", long: 15_000, short: 5_000, price: 150 }] },
      clock: { now: () => now },
    });
    try {
      const c = api(s);
      const post = (o: J) => c.send("POST", "/orders", { order: { type: "MARKET", instrument: "USD_JPY", timeInForce: "FOK", ...o } });
      for (const o of [{ units: "1000", stopLossOnFill: { price: "150.005" } }, { units: "-1000", takeProfitOnFill: { price: "150.010" } }]) {
        const r = await post(o);
        expect(r.body.orderCancelTransaction.reason).toMatch(/_ON_FILL_LOSS$/);
        check(response("/accounts/{accountID}/orders", "post", "201"), r.body, "order 201 fill-loss cancel");
        checkTx(r.body.orderCancelTransaction);
      }
      now = Date.UTC(2025, 11, 30, 23, 0, 0);
      const summary = (await c.get("/summary")).body;
      check(definition("AccountSummary"), summary.account, "AccountSummary after financing");
      s.engine.setPrice({ instrument: "USD_JPY", bid: 148, ask: 148.008 }); // usage above 100%: the loss-cut
      const txs = (await c.get("/transactions/sinceid?id=0")).body.transactions as J[];
      expect(txs.map((t) => t.type)).toContain("DAILY_FINANCING");
      expect(txs.filter((t) => t.reason === "MARKET_ORDER_MARGIN_CLOSEOUT")).toHaveLength(2);
      txs.forEach(checkTx);
    } finally {
      await s.close();
    }
  });

  it("pricing, candles, 401 and both streams", async () => {
    const c = api(sim);
    const pricing = (await c.get("/pricing?instruments=USD_JPY")).body;
    check(response("/accounts/{accountID}/pricing", "get", "200"), pricing, "pricing");
    pricing.prices.forEach((p: J) => check(definition("ClientPrice"), p, "ClientPrice"));
    const candles = (await c.get(`${sim.restUrl}/v3/instruments/USD_JPY/candles?granularity=M1&count=10&price=MBA`)).body;
    check(response("/instruments/{instrument}/candles", "get", "200"), candles, "candles");
    candles.candles.forEach((k: J) => check(definition("Candlestick"), k, "Candlestick"));
    check(response("/accounts/{accountID}/summary", "get", "401"), (await api(sim, "bad").get("/summary")).body, "401");

    const ps = lineReader(await fetch(`${c.A}/pricing/stream?instruments=USD_JPY`, { headers: c.headers }));
    check(definition("ClientPrice"), JSON.parse((await ps.next())!), "stream PRICE");
    check(definition("PricingHeartbeat"), JSON.parse((await ps.next())!), "pricing HEARTBEAT");
    await ps.cancel();
    const ts = lineReader(await fetch(`${c.A}/transactions/stream`, { headers: c.headers }));
    check(definition("TransactionHeartbeat"), JSON.parse((await ts.next())!), "transaction HEARTBEAT");
    await c.send("POST", "/orders", { order: { type: "MARKET", instrument: "USD_JPY", units: "1" } });
    for (const _ of [1, 2]) {
      let line = JSON.parse((await ts.next())!);
      while (line.type === "HEARTBEAT") line = JSON.parse((await ts.next())!);
      checkTx(line);
    }
    await ts.cancel();
  });
});

describe("the official OANDA client (@oanda/v20) works against the simulator", () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: { ticks: { source: "fixed" }, maintenance: false, positions: [{ instrument: "USD_JPY", long: 2000, short: 500 }] } });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const ctx = () => {
    const { Context } = createRequire(import.meta.url)("@oanda/v20/context") as { Context: new (h: string, p: number, ssl: boolean, app: string) => any };
    const u = new URL(sim.restUrl);
    const c = new Context(u.hostname, Number(u.port), false, "sekisho-tests");
    c.setToken(sim.token);
    return c;
  };
  const call = <T>(fn: (cb: (r: any) => void) => void) => new Promise<any>((resolve) => fn(resolve)) as Promise<T>;

  it("reads the account summary and open positions, and places a market order", async () => {
    const c = ctx();
    const summary: any = await call((cb) => c.account.summary(sim.accountId, cb));
    expect(summary.statusCode).toBe("200");
    expect(summary.body.account.NAV).toBe(sim.engine.numbers().nav.toFixed(4));
    expect(summary.body.account.hedgingEnabled).toBe(true);
    const open: any = await call((cb) => c.position.listOpen(sim.accountId, cb));
    expect(open.statusCode).toBe("200");
    const pos = open.body.positions[0];
    expect([pos.instrument, pos.long.units, pos.short.units]).toEqual(["USD_JPY", "2000", "-500"]);
    const placed: any = await call((cb) => c.order.market(sim.accountId, { instrument: "USD_JPY", units: 100, clientExtensions: { id: "oanda-js-1" } }, cb));
    expect(placed.statusCode).toBe("201");
    expect(placed.body.orderFillTransaction.units).toBe("100");
    expect(placed.body.orderFillTransaction.tradeOpened.tradeID).toBe(placed.body.orderFillTransaction.id);
    expect(sim.engine.exposure("USD_JPY")).toEqual({ long: 2100, short: 500 });
  });
});
