// Issue 10's acceptance test for trades and P/L: the agent (practice mode) against a separately
// started simulator, trades ending every way they can (take profit, stop loss, a reduce-only
// order, flatten, a manual close, a margin closeout) and a trade held over OANDA's 17:00 New York
// rollover (daily financing), read back through the agent's own HTTP server: each trade's close
// reason is right, and GET /pnl's realized P/L plus financing is the simulator's balance change,
// to the yen (and to its 4 decimals). The simulator runs on a clock the test moves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.ts";
import type { Signal } from "../../src/core/types.ts";
import { parseScenario, type SimHandle, startSimulator } from "../../src/sim/index.ts";
import { type AgentRig, CONTROL_TOKEN, startAgentRig } from "../helpers/agent-rig.ts";
import { delay } from "../helpers/wait.ts";

const START_BALANCE = 500_000;
let sim: SimHandle;
let rig: AgentRig;
let agent: Agent;
let base: string;
// The simulator's clock: a Tuesday in winter (New York on EST), moved past 17:00 New York below.
let simNow = Date.parse("2026-03-03T12:00:00.000Z");

// deno-lint-ignore no-explicit-any
type J = any;
const get = async (path: string): Promise<J> => {
  const r = await fetch(`${base}${path}`);
  expect(r.status, `${path}: ${await r.clone().text()}`).toBe(200);
  return r.json();
};
const price = (bid: number) => sim.engine.setPrice({ instrument: "USD_JPY", bid, ask: Math.round((bid + 0.008) * 1000) / 1000 });
/** Move the price and wait until the agent has it from the stream (the gate bounds orders by it). */
async function priceSeen(bid: number): Promise<void> {
  price(bid);
  const until = Date.now() + 10_000;
  while (agent.market.latest("USD_JPY")?.bid !== bid) {
    if (Date.now() > until) throw new Error(`the agent never saw bid ${bid}`);
    await delay(20);
  }
  await agent.accountSync.refresh();
}
let n = 0;
const signal = (s: Partial<Signal>): Promise<J> => agent.gate.process({
  id: `pnl-${++n}`, worker: "operator", strategy: "operator", pocket: "macro", instrument: "USD_JPY", side: "buy", confidence: 50,
  proposedUnits: 10_000, reduceOnly: false, attachSlTp: false, createdAt: Date.now(), ttlMs: 10_000, ...s,
} as Signal);

/** Wait until the agent's ledger has stored everything the simulator booked. */
async function ledgerCaughtUp(): Promise<void> {
  const last = Number(sim.engine.lastTransactionID);
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if ((await agent.journal.transactions.maxId()) >= last) return;
    await delay(50);
  }
  throw new Error(`the ledger did not reach transaction ${last}`);
}

beforeAll(async () => {
  sim = await startSimulator({
    scenario: parseScenario({ token: "pnl-token-0123", account: { id: "101-004-7777777-001", balance: START_BALANCE }, ticks: { source: "fixed" }, instruments: { USD_JPY: { bid: 150, ask: 150.008 } } }),
    clock: { now: () => simNow },
  });
  rig = await startAgentRig({
    mode: "practice",
    env: {
      OANDA_TOKEN: "pnl-token-0123", OANDA_ACCOUNT_ID: "101-004-7777777-001", OANDA_REST_URL: sim.restUrl, OANDA_STREAM_URL: sim.streamUrl,
      // This test walks into losses and a closeout on purpose; the guards would (rightly) stop it.
      GATE_ENFORCE_MARKET_HOURS: "0", REQUIRE_STOP_LOSS: "0", MAX_DAILY_LOSS: "off", MAX_DRAWDOWN_PCT: "0",
    },
  });
  ({ agent, base } = rig);

  // 1. take profit: long 10,000 with a TP 10 pips up, then the bid reaches it
  expect(await signal({ tpPips: 10, attachSlTp: true })).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
  await priceSeen(150.2);
  // 2. stop loss: short 10,000 with a SL 10 pips up, then the ask reaches it
  expect(await signal({ side: "sell", slPips: 10, attachSlTp: true })).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
  await priceSeen(150.35);
  // 3. reduce-only: long 5,000, closed by an operator's reduce-only sell
  await agent.accountSync.refresh();
  expect(await signal({ proposedUnits: 5_000 })).toMatchObject({ orderStatus: "filled" });
  await priceSeen(150.4);
  await agent.accountSync.refresh();
  expect(await signal({ side: "sell", proposedUnits: 5_000, reduceOnly: true, reduceCap: 5_000 })).toMatchObject({ orderStatus: "filled" });
  // 4. flatten: long 4,000, closed by POST /control/flatten
  await agent.accountSync.refresh();
  expect(await signal({ proposedUnits: 4_000 })).toMatchObject({ orderStatus: "filled" });
  await priceSeen(150.3);
  const fl = await fetch(`${base}/control/flatten?instrument=USD_JPY`, { method: "POST", headers: { Authorization: `Bearer ${CONTROL_TOKEN}` } });
  expect(fl.status).toBe(200);
  // 5. held over the rollover: long 10,000, the clock passes 17:00 New York (22:00 UTC in March
  //    before daily saving starts), then a reduce-only sell closes it
  expect(await signal({ proposedUnits: 10_000 })).toMatchObject({ orderStatus: "filled" });
  simNow = Date.parse("2026-03-03T22:10:00.000Z"); // 17:10 New York, past the maintenance window
  await priceSeen(150.31);
  expect(await signal({ side: "sell", proposedUnits: 10_000, reduceOnly: true, reduceCap: 10_000 })).toMatchObject({ orderStatus: "filled" });
  // 6. manual: a trade someone placed at the broker, and closed there
  const manual = sim.engine.createOrder({ order: { type: "MARKET", instrument: "USD_JPY", units: "2000", timeInForce: "FOK" } }) as J;
  const manualId = String(manual.body.orderFillTransaction.tradeOpened.tradeID);
  await priceSeen(150.25);
  sim.engine.closeTrade(manualId, { units: "ALL" });
  // 7. margin closeout: long 60,000, then the price falls until the broker closes it out
  await agent.accountSync.refresh();
  expect(await signal({ proposedUnits: 60_000 })).toMatchObject({ orderStatus: "filled" });
  for (let bid = 149.5; sim.engine.openTrades().length > 0 && bid > 140; bid -= 0.5) price(bid);
  expect(sim.engine.openTrades()).toHaveLength(0);
  await ledgerCaughtUp();
}, 90_000);

afterAll(async () => {
  await rig?.close();
  await sim?.close();
});

describe("trades and P/L against the simulator", () => {
  it("GET /trades: every trade with how it ended, its pocket, prices and P/L", async () => {
    const page = await get("/trades?limit=50");
    expect(page.accountId).toBe("101-004-7777777-001");
    const trades = page.trades as J[];
    expect(trades.map((t) => t.closeReason).reverse()).toEqual(["take_profit", "stop_loss", "reduce_only", "flatten", "reduce_only", "manual", "margin_closeout"]);
    expect(trades.every((t) => t.state === "closed" && t.openUnits === 0 && t.closedUnits === t.units)).toBe(true);
    const [tp] = trades.slice(-1);
    expect(tp).toMatchObject({ side: "buy", units: 10_000, openPrice: 150.008, closePrice: 150.2, pocket: "macro", strategy: "operator", worker: "operator" });
    expect(tp.realizedPL).toBeCloseTo((150.2 - 150.008) * 10_000, 4);
    expect(trades.find((t) => t.closeReason === "manual")).toMatchObject({ pocket: "manual", openClientId: null });
    // Filters and paging
    expect((await get("/trades?reason=stop_loss")).trades).toHaveLength(1);
    const p1 = await get("/trades?limit=4");
    const p2 = await get(`/trades?limit=4&cursor=${p1.nextCursor}`);
    expect(p1.trades).toHaveLength(4);
    expect([...p1.trades, ...p2.trades].map((t: J) => t.id)).toEqual(trades.map((t) => t.id));
    expect(p2.nextCursor).toBeNull();
  });

  it("GET /pnl: realized P/L + financing is the simulator's balance change, to the yen", async () => {
    const summary = (await (await fetch(`${sim.restUrl}/v3/accounts/101-004-7777777-001/summary`, { headers: { Authorization: "Bearer pnl-token-0123" } })).json()) as J;
    const change = Math.round((Number(summary.account.balance) - START_BALANCE) * 10_000) / 10_000;
    expect(change).toBeLessThan(-100_000); // the closeout hurt: this is a real test of the sum
    for (const by of ["day", "pocket", "strategy", "instrument"]) {
      const r = await get(`/pnl?by=${by}`);
      expect(Math.round(r.total.realized + r.total.financing - r.total.fees)).toBe(Math.round(change));
      expect(r.total.net).toBe(change);
      expect(r.total.trades).toBe(7);
      expect(r.rows.reduce((s: number, x: J) => s + x.trades, 0)).toBe(7);
    }
    const pockets = await get("/pnl?by=pocket");
    expect(pockets.rows.map((x: J) => x.key)).toEqual(["macro", "manual"]);
    expect(pockets.unrealizedSource).toBe("broker");
    expect(pockets.total.unrealized).toBe(0); // nothing open
    expect(pockets.total.maxDrawdown).toBeGreaterThan(100_000);
  });

  it("the trade held over the rollover carries its daily financing, booked on the next trading day", async () => {
    const txs = (await (await fetch(`${sim.restUrl}/v3/accounts/101-004-7777777-001/transactions/sinceid?id=0`, { headers: { Authorization: "Bearer pnl-token-0123" } })).json()) as J;
    const daily = (txs.transactions as J[]).filter((t) => t.type === "DAILY_FINANCING");
    expect(daily).toHaveLength(1);
    const booked = Number(daily[0].financing);
    expect(booked).not.toBe(0);
    const held = ((await get("/trades?limit=50")).trades as J[]).reverse()[4];
    expect(held).toMatchObject({ closeReason: "reduce_only", units: 10_000 });
    expect(held.financing).toBe(booked);
    const days = await get("/pnl?by=day");
    // 17:10 New York on Tuesday 3 March is in Wednesday's trading day.
    expect(days.rows.find((r: J) => r.key === "2026-03-04")?.financing).toBe(booked);
    expect(days.total.financing).toBe(booked);
  });
});
