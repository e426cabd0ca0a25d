// The trade-frequency budget survives a restart: orders journaled by one agent (a real journal
// file, closed and opened again), read back through the journal's read port, and a fresh worker
// on them refuses past the budget, where a fresh worker without them would trade. Only this
// worker's filled orders of the last day under this account and mode count. And the agent does
// it: restarted on its journal, its workers count the orders journaled before.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/log.ts";
import { startAgent } from "../../src/agent/agent.ts";
import { parseScenario } from "../../src/sim/index.ts";
import { defaultInstruments } from "../../src/core/instruments.ts";
import type { Signal } from "../../src/core/types.ts";
import { openJournal } from "../../src/store/index.ts";
import type { JournalScope } from "../../src/store/types.ts";
import { pastOrdersReader } from "../../src/store/worker-orders.ts";
import { MicroMultistratWorker } from "../../src/workers/micro_multistrat/worker.ts";
import type { Strategy } from "../../src/workers/micro_multistrat/strategy.ts";
import { DAY_MS, pastDayOrders } from "../../src/workers/order-budget.ts";
import { orderIntent } from "../replica/helpers.ts";
import { harness, reasons, T0 } from "./fast_scalp/helpers.ts";
import * as F from "./micro_multistrat/fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "sekisho-budget-restart-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PAPER: JournalScope = { accountId: "SIM-001", mode: "paper" };
const MIN = 60_000;

/** One agent's life: journal these orders (worker, fill time, status) under `scope`, then stop. */
async function journalOrders(path: string, scope: JournalScope, orders: { worker: string; at: number; status?: "filled" | "cancelled" }[]) {
  const clock = { t: 0, now() { return this.t; } };
  const j = await openJournal({ path, clock, scope });
  let i = 0;
  for (const o of orders) {
    const intent = { ...orderIntent(++i, `${scope.mode}-${o.worker}-${o.at}`), worker: o.worker, instrument: "USD_JPY", reduceOnly: false, positionFill: "OPEN_ONLY" };
    clock.t = o.at - 1000;
    await j.orders.insertIntent(intent);
    clock.t = o.at;
    await j.orders.advance(intent.clientId, o.status ?? "filled", { filledUnits: 1000, fillPrice: 150 });
  }
  await j.close();
}

/** The next agent's start: the journal opened again, the worker's last day read through the port. */
async function restartRead(path: string, worker: string, now: number) {
  const j = await openJournal({ path, scope: PAPER });
  try {
    return await pastDayOrders(pastOrdersReader(j.db, j.scope), worker, now);
  } finally {
    await j.close();
  }
}

describe("the trade-frequency budget across a restart", () => {
  it("fast_scalp: 3 orders in the last hour journaled, a fresh worker refuses the 4th (FAST_SCALP_MAX_ORDERS_PER_HOUR=3)", async () => {
    const path = join(dir, "fast.db");
    await journalOrders(path, PAPER, [
      { worker: "fast_scalp", at: T0 - DAY_MS - MIN }, // older than a day: forgotten
      { worker: "fast_scalp", at: T0 - 50 * MIN },
      { worker: "fast_scalp", at: T0 - 40 * MIN },
      { worker: "fast_scalp", at: T0 - 30 * MIN },
      { worker: "fast_scalp", at: T0 - 20 * MIN, status: "cancelled" }, // never placed
      { worker: "micro_multistrat", at: T0 - 10 * MIN }, // another worker's
    ]);
    await journalOrders(path, { accountId: "001-009-42-001", mode: "live" }, [{ worker: "fast_scalp", at: T0 - 5 * MIN }]); // another agent's
    const past = await restartRead(path, "fast_scalp", T0);
    expect(past.map((o) => o.at)).toEqual([T0 - 50 * MIN, T0 - 40 * MIN, T0 - 30 * MIN]);

    const env = { FAST_SCALP_MAX_ORDERS_PER_HOUR: "3", FAST_SCALP_MAX_ORDERS_PER_DAY: "10" };
    const restarted = harness(env, { pastOrders: past });
    const after = reasons(restarted.run(10));
    expect(after.slice(7)).toEqual(["rate_limit", "rate_limit", "rate_limit"]);
    expect(restarted.published).toEqual([]);
    expect(restarted.skipLines().find((l) => l.reason === "rate_limit")).toMatchObject({ window: "hour", limit: 3 });
    // The same ticks, a worker that forgot: it trades (so the refusal above is the journal's doing).
    const forgetful = harness(env);
    expect(reasons(forgetful.run(10))).toContain("signal");
    // Half an hour later the oldest journaled order has left the hour: it trades again.
    const later = harness(env, { pastOrders: await restartRead(path, "fast_scalp", T0 + 30 * MIN) });
    expect(reasons(later.run(10, { startMs: 30 * MIN }))).toContain("signal");
  });

  it("micro_multistrat: the day's budget spent before the restart stays spent (MICRO_MAX_ORDERS_PER_DAY=4)", async () => {
    const path = join(dir, "micro.db");
    const candles = F.wobble(80);
    const now = candles[70]!.time + MIN + 500;
    await journalOrders(path, PAPER, [0, 1, 2, 3].map((k) => ({ worker: "micro_multistrat", at: now - (5 + k) * 3_600_000 })));
    const always: Strategy<object> = { name: "range_break", params: {}, evaluate: () => ({ side: "buy", confidence: 80, reason: "x" }) };
    const fresh = (pastOrders?: Awaited<ReturnType<typeof restartRead>>) => {
      const config = parseConfig({ MICRO_MULTISTRAT_ENABLED: "1", MICRO_MAX_ORDERS_PER_DAY: "4" }).config;
      const published: Signal[] = [];
      const market = { closedCandlesView: () => candles.slice(0, 71), latestPoint: () => undefined };
      const worker = new MicroMultistratWorker({ config, market, clock: { now: () => now }, instruments: defaultInstruments(), publish: (s) => published.push(s), strategies: [always], ...(pastOrders ? { pastOrders } : {}) });
      return { result: worker.onCandleClosed("USD_JPY"), published };
    };
    const restarted = fresh(await restartRead(path, "micro_multistrat", now));
    expect(restarted.result.skipped).toBe("rate_limit");
    expect(restarted.published).toEqual([]);
    const forgetful = fresh();
    expect(forgetful.result.skipped).toBeUndefined();
    expect(forgetful.published).toHaveLength(1);
  });
});

describe("the agent seeds its workers' budgets from its journal", () => {
  it("orders journaled under the agent's account and mode are counted by the restarted agent's workers", async () => {
    const path = join(dir, "agent.db");
    const env = { DB_PATH: path, LOG_LEVEL: "silent", FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "1", HEDGE_BALANCER_ENABLED: "0" };
    const { config } = parseConfig(env);
    const start = () => startAgent({ config, mode: "paper", log: silentLogger, simScenario: parseScenario({ ticks: { source: "fixed" } }) });
    const first = await start();
    const scope = first.journal.scope!;
    expect(first.workers.fastScalp.orderCounts()).toEqual({ minute: 0, hour: 0, day: 0 });
    await first.stop();
    const now = Date.now();
    await journalOrders(path, scope, [
      { worker: "fast_scalp", at: now - 50 * MIN }, { worker: "fast_scalp", at: now - 3 * 3_600_000 },
      { worker: "micro_multistrat", at: now - 10 * MIN }, { worker: "micro_multistrat", at: now - 20 * MIN }, { worker: "micro_multistrat", at: now - DAY_MS - MIN },
    ]);
    const second = await start();
    try {
      expect(second.workers.fastScalp.orderCounts()).toMatchObject({ hour: 1, day: 2 });
      expect(second.workers.micro.orderCounts()).toMatchObject({ hour: 2, day: 2 });
    } finally {
      await second.stop();
    }
  }, 60_000);
});
