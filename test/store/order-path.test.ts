// The journal's order path: the duplicate check answered from the in-memory id index of the
// journal's one writer (and never forgetting an id across restarts), and the intent written
// straight as `submitted` in one statement, readable exactly as returned.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openJournal, type NewOrderIntent } from "../../src/store/index.ts";
import { earlierOrder, knownNoEarlierOrder } from "../../src/gate/earlier-order.ts";

let dir: string;
let now = Date.parse("2026-03-02T09:00:00.000Z");
const clock = { now: () => now };

function intent(signalId: string, over: Partial<NewOrderIntent> = {}): NewOrderIntent {
  return {
    clientId: `sk-${signalId}`, signalId, worker: "fast_scalp", strategy: "fast_scalp", pocket: "scalp_fast", instrument: "USD_JPY",
    side: "buy", requestedUnits: 1000, reduceOnly: false, positionFill: "OPEN_ONLY", priceBound: 157.2, tpPrice: 157.3, slPrice: 157.1,
    requestJson: { order: { units: "1000" } }, ...over,
  };
}

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "sekisho-order-path-")); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("duplicate checks of the journal's owner", () => {
  it("after any number of restarts every earlier signal id and client id is found, and no other", async () => {
    const path = join(dir, "orders.db");
    await fc.assert(
      fc.asyncProperty(
        // Runs of the agent, each writing some signals (ids may repeat across runs: a replay).
        fc.array(fc.array(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 6 }),
        async (runs, probes) => {
          rmSync(path, { force: true });
          rmSync(`${path}-wal`, { force: true });
          rmSync(`${path}-shm`, { force: true });
          rmSync(`${path}-intents`, { force: true }); // a journal's intent log goes with it
          const written = new Set<string>();
          for (const run of runs) {
            const j = await openJournal({ path, clock, owner: true });
            try {
              // Everything written before this start is known to the new process.
              for (const id of written) {
                expect((await j.orders.findBySignalId(id)).map((r) => r.clientId)).toEqual([`sk-${id}`]);
                expect((await j.orders.findByClientId(`sk-${id}`))?.signalId).toBe(id);
              }
              for (const [k, id] of run.entries()) {
                // Both ways an intent is written: the row, or a line of the intent log (folded or not).
                const logged = k % 2 === 1 && !written.has(id) ? j.orders.appendIntent(intent(id)) : undefined;
                if (logged && k % 4 === 1) await logged.fold();
                if (!logged) await j.orders.insertIntent(intent(id), "submitted");
                written.add(id);
                expect(await j.orders.findBySignalId(id)).toHaveLength(1);
              }
              for (const p of probes.filter((p) => !written.has(p))) {
                expect(await j.orders.findBySignalId(p)).toEqual([]);
                expect(await j.orders.findByClientId(`sk-${p}`)).toBeUndefined();
              }
              // The gate's duplicate check answers from memory exactly when there is nothing to find.
              for (const id of [...written, ...probes]) {
                expect(knownNoEarlierOrder(j.orders, id), id).toBe((await earlierOrder(j.orders, id)) === undefined);
                expect(knownNoEarlierOrder(j.orders, id), id).toBe(!written.has(id));
              }
            } finally {
              await j.close();
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it("a journal of more rows than one load page: the first and the last ids are found after a restart", async () => {
    const path = join(dir, "orders.db");
    const j = await openJournal({ path, clock, owner: true });
    // 45,000 rows in one statement (the index loads 20,000 ids per query).
    await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 45000)
      INSERT INTO orders (client_id, signal_id, worker, strategy, pocket, instrument, side, requested_units, reduce_only, position_fill, status, intent_at, updated_at)
      SELECT 'sk-bulk-' || i, 'bulk-' || i, 'w', 's', 'micro', 'USD_JPY', 'buy', 1000, 0, 'OPEN_ONLY', 'filled', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z' FROM n`.execute(j.db);
    await j.close();
    const again = await openJournal({ path, clock, owner: true });
    try {
      for (const i of [1, 9999, 20_000, 20_001, 39_999, 40_000, 45_000]) {
        expect((await again.orders.findBySignalId(`bulk-${i}`))[0]?.clientId).toBe(`sk-bulk-${i}`);
        expect((await again.orders.findByClientId(`sk-bulk-${i}`))?.signalId).toBe(`bulk-${i}`);
      }
      expect(await again.orders.findBySignalId("bulk-45001")).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it("a reader's journal (not the owner) sees rows another process wrote after it opened", async () => {
    const path = join(dir, "orders.db");
    const owner = await openJournal({ path, clock, owner: true });
    const reader = await openJournal({ path, clock });
    try {
      await owner.orders.insertIntent(intent("late"), "submitted");
      expect((await reader.orders.findBySignalId("late"))[0]?.status).toBe("submitted");
      expect((await reader.orders.findByClientId("sk-late"))?.status).toBe("submitted");
    } finally {
      await reader.close();
      await owner.close();
    }
  });
});

describe("the intent written as submitted", () => {
  it("is one row, status submitted, submitted_at = intent_at, and reads back exactly as insertIntent returned it", async () => {
    const j = await openJournal({ path: join(dir, "orders.db"), clock, owner: true, scope: { accountId: "101-001-1-001", mode: "practice" } });
    try {
      const returned = await j.orders.insertIntent(intent("one"), "submitted");
      const read = await j.orders.findByClientId("sk-one");
      expect(read).toEqual(returned);
      expect(read).toMatchObject({ status: "submitted", intentAt: "2026-03-02T09:00:00.000Z", submittedAt: "2026-03-02T09:00:00.000Z", accountId: "101-001-1-001", mode: "practice", reduceOnly: false, tpPrice: 157.3 });
      expect(JSON.parse(read!.requestJson!)).toEqual({ order: { units: "1000" } });
      expect((await j.orders.list({})).rows).toHaveLength(1);
      // A plain intent is still an intent.
      expect((await j.orders.insertIntent(intent("two"))).status).toBe("intent");
      expect((await j.orders.findByClientId("sk-two"))?.submittedAt).toBeNull();
    } finally {
      await j.close();
    }
  });

  it("written again with the same client id keeps the first row and returns it", async () => {
    const j = await openJournal({ path: join(dir, "orders.db"), clock, owner: true });
    try {
      const first = await j.orders.insertIntent(intent("dup"), "submitted");
      await j.orders.advance("sk-dup", "filled", { filledUnits: 1000, fillPrice: 157.2 });
      now += 1000;
      const again = await j.orders.insertIntent(intent("dup", { requestedUnits: 5 }), "submitted");
      expect(again).toMatchObject({ id: first.id, status: "filled", requestedUnits: 1000 });
    } finally {
      await j.close();
    }
  });
});

describe("the journal's connection", () => {
  it("a statement outside an open transaction waits for it, and sees only what was committed", async () => {
    const j = await openJournal({ path: join(dir, "orders.db"), clock });
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      const tx = j.db.transaction().execute(async (trx) => {
        await trx.insertInto("orders").values({
          client_id: "sk-tx", signal_id: "tx", worker: "w", strategy: "s", pocket: "micro", instrument: "USD_JPY", side: "buy",
          requested_units: 1, reduce_only: 0, position_fill: "OPEN_ONLY", status: "intent", intent_at: "2026-03-02T09:00:00.000Z", updated_at: "2026-03-02T09:00:00.000Z",
        }).execute();
        await held;
        throw new Error("roll it back");
      });
      const outside = j.orders.findByClientId("sk-tx");
      release();
      await expect(tx).rejects.toThrow("roll it back");
      expect(await outside).toBeUndefined();
    } finally {
      await j.close();
    }
  });
});
