// Replay's in-memory journal keeps the store's rules: the same calls against it and against the
// SQLite journal (src/store, in memory) give equal answers, row for row, and the same refusals.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { NewOrderIntent } from "../../src/core/journal-records.ts";
import { ORDER_STATUSES, type OrderStatus } from "../../src/core/orders.ts";
import { openJournal } from "../../src/store/index.ts";
import { MemoryJournal } from "../../src/replay/memory-journal.ts";

class Clock {
  t = Date.UTC(2013, 1, 25, 20, 0);
  now() {
    return this.t;
  }
}

const intent = (clientId: string, signalId: string, extra: Partial<NewOrderIntent> = {}): NewOrderIntent => ({
  clientId, signalId, worker: "micro_multistrat", strategy: "range_break", pocket: "micro", instrument: "USD_JPY", side: "buy",
  requestedUnits: 1_000, reduceOnly: false, positionFill: "DEFAULT", priceBound: 92.5, tpPrice: 93, requestJson: { order: { units: "1000" } }, ...extra,
});

async function twins() {
  const clock = new Clock();
  const sql = await openJournal({ path: ":memory:", clock });
  const mem = new MemoryJournal(clock);
  return {
    clock, sql, mem,
    async same<T>(f: (j: MemoryJournal | typeof sql) => Promise<T>): Promise<T> {
      const [a, b] = await Promise.allSettled([f(sql), f(mem)]);
      if (a.status === "rejected" || b.status === "rejected") {
        expect(b.status).toBe(a.status);
        expect(String((b as PromiseRejectedResult).reason)).toBe(String((a as PromiseRejectedResult).reason));
        return undefined as T;
      }
      expect(b.value).toStrictEqual(a.value);
      return a.value;
    },
  };
}

describe("replay's memory journal answers as the SQLite journal", () => {
  it("intent, forward moves, claims, lookups and refusals", async () => {
    const t = await twins();
    try {
      await t.same((j) => j.orders.insertIntent(intent("sk-a", "s1")));
      await t.same((j) => j.orders.insertIntent(intent("sk-a", "s1", { requestedUnits: 5 }))); // the first row stays
      t.clock.t += 1_000;
      await t.same((j) => j.orders.insertIntent(intent("sk-b", "s1", { side: "sell", reduceOnly: true, priceBound: undefined })));
      await t.same((j) => j.orders.advance("sk-a", "submitted", { requestJson: "{\"raw\":1}" }));
      await t.same((j) => j.orders.advance("sk-a", "intent")); // backwards: nothing moves
      await t.same((j) => j.orders.unsettled());
      expect(await t.same((j) => j.orders.claimOandaOrderId("sk-a", "100"))).toBe(true);
      expect(await t.same((j) => j.orders.claimOandaOrderId("sk-a", "101"))).toBe(false);
      expect(await t.same((j) => j.orders.claimOandaOrderId("sk-nobody", "102"))).toBe(false);
      await t.same((j) => j.orders.claimOandaOrderId("sk-b", "100"));
      await t.same((j) => j.orders.findByOandaOrderId("100"));
      t.clock.t += 1_000;
      await t.same((j) => j.orders.advance("sk-a", "filled", { oandaOrderId: "103", filledUnits: 1_000, fillPrice: 92.41, responseJson: { a: [1, "x"] }, oandaTransactionId: "104" }));
      await t.same((j) => j.orders.findByOandaOrderId("100"));
      await t.same((j) => j.orders.findByOandaOrderId("103"));
      await t.same((j) => j.orders.advance("sk-b", "cancelled", { cancelReason: "BOUNDS_VIOLATION", note: "n" }));
      await t.same((j) => j.orders.advance("sk-b", "filled")); // a settled order stays settled
      await t.same((j) => j.orders.advance("sk-a", "reconciled", { error: "e", errorCode: "X", rejectReason: "R", oandaTradeId: "7" }));
      await t.same((j) => j.orders.findBySignalId("s1"));
      await t.same((j) => j.orders.findBySignalId("s-none"));
      await t.same((j) => j.orders.findByClientId("sk-none"));
      await t.same((j) => j.orders.advance("sk-none", "filled"));
      await t.same((j) => j.orders.unsettled());
      // Refusals name the field, and nothing is written.
      await t.same((j) => j.orders.insertIntent(intent("sk-c", "s2", { requestedUnits: 0 })));
      await t.same((j) => j.orders.insertIntent(intent("", "s2")));
      await t.same((j) => j.orders.insertIntent(intent("sk-c", "s2", { tpPrice: Number.NaN })));
      await t.same((j) => j.orders.insertIntent(intent("sk-a", "s1", { tpPrice: Number.NaN }))); // refused though sk-a exists
      await t.same((j) => j.orders.advance("sk-a", "lost" as OrderStatus));
      await t.same((j) => j.orders.advance("sk-b", "reconciled", { fillPrice: Number.POSITIVE_INFINITY }));
      await t.same((j) => j.orders.findByClientId("sk-c"));
      const decision = { signalId: "s1", worker: "w", strategy: "x", pocket: "micro", instrument: "USD_JPY", side: "buy" as const };
      await t.same((j) => j.decisions.insert({ ...decision, outcome: "accepted", units: 10, detail: { a: 1 } }));
      await t.same((j) => j.decisions.insert({ ...decision, outcome: "maybe" as never }));
      await t.same((j) => j.decisions.insert({ ...decision, outcome: "skipped", ts: "not a time" }));
      await t.same((j) => j.decisions.insert({ ...decision, outcome: "skipped", units: Number.NaN }));
    } finally {
      await t.sql.close();
    }
  });

  it("any sequence of intents and status moves leaves both journals with the same rows", async () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("intent" as const), c: fc.integer({ min: 0, max: 4 }), s: fc.integer({ min: 0, max: 2 }), as: fc.constantFrom("intent" as const, "submitted" as const) }),
      fc.record({ k: fc.constant("advance" as const), c: fc.integer({ min: 0, max: 4 }), to: fc.constantFrom(...ORDER_STATUSES), o: fc.option(fc.integer({ min: 0, max: 3 })) }),
      fc.record({ k: fc.constant("claim" as const), c: fc.integer({ min: 0, max: 4 }), o: fc.integer({ min: 0, max: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const t = await twins();
        try {
          for (const x of ops) {
            t.clock.t += 500;
            if (x.k === "intent") await t.same((j) => j.orders.insertIntent(intent(`c${x.c}`, `s${x.s}`), x.as));
            else if (x.k === "advance") await t.same((j) => j.orders.advance(`c${x.c}`, x.to, x.o === null ? undefined : { oandaOrderId: `o${x.o}` }));
            else await t.same((j) => j.orders.claimOandaOrderId(`c${x.c}`, `o${x.o}`));
          }
          for (let o = 0; o < 4; o++) await t.same((j) => j.orders.findByOandaOrderId(`o${o}`));
          for (let s = 0; s < 3; s++) await t.same((j) => j.orders.findBySignalId(`s${s}`));
          await t.same((j) => j.orders.unsettled());
        } finally {
          await t.sql.close();
        }
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});
