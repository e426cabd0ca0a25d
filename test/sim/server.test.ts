import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type ScenarioInput, type SimHandle } from "../../src/sim/index.ts";
import { api, lineReader } from "./http.ts";

const started: SimHandle[] = [];
async function sim(s: ScenarioInput = {}, throttleMs?: number): Promise<SimHandle> {
  // On the wall clock: no maintenance window (a run at 17:00 New York must not fail), no slippage (exact prices).
  const h = await startSimulator({ scenario: { ticks: { source: "fixed" }, heartbeatMs: 50, maintenance: false, execution: { slippagePips: 0 }, ...s }, throttleMs });
  started.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

const order = (units: number, extra: Record<string, unknown> = {}) => ({ order: { type: "MARKET", instrument: "USD_JPY", units: String(units), timeInForce: "FOK", ...extra } });

describe("sim REST", () => {
  it("answers 401 on a bad token and 404 for another account", async () => {
    const s = await sim();
    expect((await api(s, "wrong").get("/summary")).status).toBe(401);
    const other = await api(s).get(`${s.restUrl}/v3/accounts/101-001-9999999-001/summary`);
    expect(other.status).toBe(404);
    expect((await api(s).get("/summary")).body.account.id).toBe(s.accountId);
  });

  it("places an order, finds it by @clientID, and sinceid returns exactly the later transactions", async () => {
    const s = await sim();
    const c = api(s);
    const before = Number((await c.get("/summary")).body.lastTransactionID);
    const r = await c.send("POST", "/orders", order(1000, { clientExtensions: { id: "sk-abc", tag: "sekisho:micro:x" } }));
    expect(r.status).toBe(201);
    expect(r.res.headers.get("Location")).toContain("/orders/");
    const found = await c.get("/orders/@sk-abc");
    expect(found.body.order).toMatchObject({ state: "FILLED", clientExtensions: { id: "sk-abc" } });
    expect((await c.get("/orders/@nope")).status).toBe(404);
    const since = await c.get(`/transactions/sinceid?id=${before}`);
    expect(since.body.transactions.map((t: any) => t.id)).toEqual(r.body.relatedTransactionIDs);
    expect((await c.get(`/transactions/sinceid?id=${Number(since.body.lastTransactionID) + 5}`)).status).toBe(416);
    const trades = await c.get("/openTrades");
    expect(trades.body.trades[0].clientExtensions).toBeUndefined();
    const dup = await c.send("POST", "/orders", order(1000, { clientExtensions: { id: "sk-abc" } }));
    expect([dup.status, dup.body.errorCode]).toEqual([400, "CLIENT_ORDER_ID_ALREADY_EXISTS"]);
  });

  it("closes a position with PUT .../close and rejects closing one that does not exist", async () => {
    const s = await sim({ positions: [{ instrument: "USD_JPY", long: 2000, short: 0 }] });
    const c = api(s);
    const r = await c.send("PUT", "/positions/USD_JPY/close", { longUnits: "ALL" });
    expect(r.status).toBe(200);
    expect(r.body.longOrderFillTransaction.units).toBe("-2000");
    expect((await c.get("/openPositions")).body.positions).toEqual([]);
    const again = await c.send("PUT", "/positions/USD_JPY/close", { longUnits: "ALL" });
    expect([again.status, again.body.errorCode]).toEqual([400, "CLOSEOUT_POSITION_DOESNT_EXIST"]);
  });

  it("serves M1 bid/ask candles and prices, and POST /sim/price moves the market", async () => {
    const s = await sim();
    const c = api(s);
    const candles = await c.get(`${s.restUrl}/v3/instruments/USD_JPY/candles?granularity=M1&count=5&price=BA`);
    expect(candles.body.candles).toHaveLength(5);
    expect(candles.body.candles[4]).toHaveProperty("bid.c");
    expect(candles.body.candles[4]).toHaveProperty("ask.c");
    const set = await fetch(`${s.restUrl}/sim/price`, { method: "POST", body: JSON.stringify({ instrument: "USD_JPY", bid: 156.1, ask: 156.11 }) });
    expect(set.status).toBe(200);
    const p = await c.get("/pricing?instruments=USD_JPY");
    expect(p.body.prices[0].bids[0].price).toBe("156.100");
    const bad = await fetch(`${s.restUrl}/sim/price`, { method: "POST", body: JSON.stringify({ instrument: "USD_JPY", bid: 2, ask: 1 }) });
    expect(bad.status).toBe(400);
    expect((await c.get("/pricing?instruments=NOPE_XXX")).status).toBe(400);
  });
});

describe("sim streams", () => {
  it("pricing stream: NDJSON as application/octet-stream, current price first, then heartbeats", async () => {
    const s = await sim();
    const res = await fetch(`${api(s).A}/pricing/stream?instruments=USD_JPY`, { headers: api(s).headers });
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const r = lineReader(res);
    expect(JSON.parse((await r.next())!)).toMatchObject({ type: "PRICE", instrument: "USD_JPY", tradeable: true });
    expect(JSON.parse((await r.next())!)).toEqual({ type: "HEARTBEAT", time: expect.stringMatching(/\.\d{9}Z$/) });
    await r.cancel();
  });

  it("coalesces a burst of prices: latest wins, never more than one line per throttle window", async () => {
    const s = await sim({ heartbeatMs: 60_000 }, 200);
    const res = await fetch(`${api(s).A}/pricing/stream?instruments=USD_JPY`, { headers: api(s).headers });
    const r = lineReader(res);
    await r.next(); // the snapshot
    for (let i = 1; i <= 30; i++) s.engine.applyTick({ instrument: "USD_JPY", bid: 155 + i / 1000, ask: 155.008 + i / 1000 });
    const seen: string[] = [];
    for (;;) {
      const line = JSON.parse((await r.next())!);
      seen.push(line.bids[0].price);
      if (line.bids[0].price === "155.030") break;
    }
    expect(seen.length).toBeLessThanOrEqual(2);
    await r.cancel();
  });

  it("transaction stream carries fills and heartbeats with lastTransactionID", async () => {
    const s = await sim();
    const c = api(s);
    const r = lineReader(await fetch(`${c.A}/transactions/stream`, { headers: c.headers }));
    const hb = JSON.parse((await r.next())!);
    expect(hb).toMatchObject({ type: "HEARTBEAT", lastTransactionID: s.engine.lastTransactionID });
    await c.send("POST", "/orders", order(1000));
    const types: string[] = [];
    while (!types.includes("ORDER_FILL")) {
      const t = JSON.parse((await r.next())!);
      if (t.type !== "HEARTBEAT") types.push(t.type);
    }
    expect(types).toEqual(["MARKET_ORDER", "ORDER_FILL"]);
    await r.cancel();
  });

  it("close() ends open streams", async () => {
    const s = await startSimulator({ scenario: { ticks: { source: "synthetic", ratePerSec: 50 }, heartbeatMs: 50, maintenance: false } });
    const r = lineReader(await fetch(`${api(s).A}/pricing/stream?instruments=USD_JPY`, { headers: api(s).headers }));
    await r.next();
    await s.close();
    let last: string | undefined = "";
    while (last !== undefined) last = await r.next().catch(() => undefined);
    expect(last).toBeUndefined();
  });
});

describe("sim faults", () => {
  it("dropStreamAfterLines ends each stream after N lines", async () => {
    const s = await sim({ faults: { dropStreamAfterLines: 3 } });
    const r = lineReader(await fetch(`${api(s).A}/pricing/stream?instruments=USD_JPY`, { headers: api(s).headers }));
    const lines: string[] = [];
    for (let l = await r.next(); l !== undefined; l = await r.next()) lines.push(l);
    expect(lines).toHaveLength(3);
  });

  it("stallStream sends nothing, not even heartbeats, until it is lifted at run time", async () => {
    const s = await sim({ faults: { latencyMs: 1, seed: 5 } });
    const c = api(s);
    const r = lineReader(await fetch(`${c.A}/transactions/stream`, { headers: c.headers }));
    await r.next();
    const set = await fetch(`${s.restUrl}/sim/faults`, { method: "POST", body: JSON.stringify({ stallStream: true }) });
    // a run-time patch changes only what it names
    expect(await set.json()).toMatchObject({ stallStream: true, latencyMs: 1, seed: 5 });
    const bad = await fetch(`${s.restUrl}/sim/faults`, { method: "POST", body: JSON.stringify({ errorRate: 2 }) });
    expect(bad.status).toBe(400);
    await c.send("POST", "/orders", order(1000));
    expect(await r.nextWithin(400)).toBe("timeout"); // 8 heartbeat periods of silence
    s.setFaults({ stallStream: false });
    expect(JSON.parse((await r.next()) as string).type).toBe("HEARTBEAT");
    await r.cancel();
  });

  it("errorRate with 429 answers Retry-After; with 503 reads fail; the dice are seeded", async () => {
    const s = await sim({ faults: { errorRate: 1, errorStatus: 429, retryAfterSec: 2 } });
    const r = await fetch(`${api(s).A}/summary`, { headers: api(s).headers });
    expect(r.status).toBe(429);
    expect(r.headers.get("Retry-After")).toBe("2");
    // seeded: two simulators with the same seed fail the same requests
    const pattern = async (h: SimHandle) => {
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await fetch(`${api(h).A}/summary`, { headers: api(h).headers })).status);
      return out;
    };
    const a = await sim({ faults: { errorRate: 0.5, errorStatus: 503, seed: 9 } });
    const b = await sim({ faults: { errorRate: 0.5, errorStatus: 503, seed: 9 } });
    const pa = await pattern(a);
    expect(pa).toEqual(await pattern(b));
    expect(pa).toContain(503);
    expect(pa).toContain(200);
  });

  it("malformedLineRate puts garbage lines into streams", async () => {
    const s = await sim({ faults: { malformedLineRate: 1 } });
    const r = lineReader(await fetch(`${api(s).A}/pricing/stream?instruments=USD_JPY`, { headers: api(s).headers }));
    const lines = [await r.next(), await r.next(), await r.next(), await r.next()];
    const parses = lines.map((l) => { try { JSON.parse(l!); return true; } catch { return false; } });
    expect(parses).toEqual([false, true, false, true]);
    await r.cancel();
  });

  it("ghostFill: the order executes but no answer arrives; the next order is answered", async () => {
    const s = await sim({ faults: { ghostFill: 1 } });
    const c = api(s);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 300);
    await expect(c.send("POST", "/orders", order(1000, { clientExtensions: { id: "ghost-1" } }), ac.signal)).rejects.toThrow();
    clearTimeout(timer);
    const looked = await c.get("/orders/@ghost-1");
    expect(looked.body.order.state).toBe("FILLED");
    expect(s.getFaults().ghostFill).toBe(0);
    expect((await c.send("POST", "/orders", order(1000))).status).toBe(201);
  });
});
