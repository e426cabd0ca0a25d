// The simulator's account refresh with a long history: 10 open trades and 5,000 closed ones.
// GET /v3/accounts/{id} (what the agent polls) and a price tick (what every stream message
// does) should cost what is open, not what was ever traded. `npm run bench` prints ops/s (hz).
import { bench, describe } from "vitest";
import { createSimApp, FaultState, parseScenario, SimEngine } from "../src/sim/index.ts";

const CLOSED = 5_000;
const OPEN = 10;

function engineWithHistory(): SimEngine {
  const e = new SimEngine(parseScenario({ ticks: { source: "fixed" } }), { now: () => Date.UTC(2025, 11, 30, 1, 0, 0) });
  const open = (units: number, extra: Record<string, unknown> = {}) => {
    const r = e.createOrder({ order: { type: "MARKET", instrument: "USD_JPY", units: String(units), ...extra } });
    const fill = r.body.orderFillTransaction as { tradeOpened?: { tradeID: string } } | undefined;
    if (!fill?.tradeOpened) throw new Error(`bench setup: open failed ${JSON.stringify(r.body)}`);
    return fill.tradeOpened.tradeID;
  };
  // Opened and closed one at a time: the history holds CLOSED trades and their market orders.
  for (let i = 0; i < CLOSED; i++) {
    const id = open(i % 2 ? -100 : 100);
    if (e.closeTrade(id, { units: "ALL" }).status !== 200) throw new Error("bench setup: close failed");
  }
  // The open ones carry a take-profit and a stop-loss each, so ticks have pending orders to check.
  for (let i = 0; i < OPEN; i++) open(i % 2 ? -1000 : 1000, i % 2 ? {} : { takeProfitOnFill: { price: "170.000" }, stopLossOnFill: { price: "140.000" } });
  if (e.openTrades().length !== OPEN || e.allTrades().length !== CLOSED + OPEN) throw new Error("bench setup: wrong trade counts");
  return e;
}

const engine = engineWithHistory();
const { app } = createSimApp({ engine, token: "bench-token", faults: new FaultState(), heartbeatMs: 5_000 });
const url = `http://sim.local/v3/accounts/${engine.accountId}`;
const headers = { Authorization: "Bearer bench-token" };

let sink = 0;
let flip = 0;

describe(`simulator with ${OPEN} open and ${CLOSED} closed trades`, () => {
  bench("account refresh: GET /v3/accounts/{id} through app.fetch", async () => {
    const res = await app.fetch(new Request(url, { headers }));
    sink += (await res.text()).length;
  });

  bench("account summary: GET /v3/accounts/{id}/summary through app.fetch", async () => {
    const res = await app.fetch(new Request(`${url}/summary`, { headers }));
    sink += (await res.text()).length;
  });

  bench("price tick: applyTick (TP/SL checks and closeout check)", () => {
    flip ^= 1;
    engine.applyTick({ instrument: "USD_JPY", bid: 155 + flip * 0.001, ask: 155.008 + flip * 0.001 });
    sink += engine.openTrades().length;
  });
});

// Keep the results observable so the work cannot be optimised away.
export const _sink = () => sink;
