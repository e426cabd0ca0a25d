// The change feed the replicator copies from: every write is seen, once, in order.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openJournal, type Journal } from "../../src/store/index.ts";

let dir: string;
let j: Journal;
let now = Date.parse("2026-03-02T09:00:00Z");
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-feed-"));
  j = await openJournal({ path: join(dir, "orders.db"), clock: { now: () => now } });
});
afterEach(async () => {
  await j.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = { worker: "operator", strategy: "manual", pocket: "manual", instrument: "USD_JPY", side: "buy" as const, requestedUnits: 10, reduceOnly: false, positionFill: "DEFAULT" };

it("reports each changed row once at its latest sequence, with its current content, and deletions without a row", async () => {
  await j.orders.insertIntent({ ...base, clientId: "a", signalId: "a" });
  await j.orders.insertIntent({ ...base, clientId: "b", signalId: "b" });
  await j.metrics.record("m", 1, undefined, now - 30 * 86_400_000);
  const cursor = await j.feed.head();
  expect(cursor).toBe(3);
  await j.orders.advance("a", "submitted");
  await j.orders.advance("a", "filled");
  expect(await j.metrics.prune(7)).toBe(1);

  const all = await j.feed.since(0, 100);
  expect(all.map((c) => [c.table, c.rowId, c.seq])).toEqual([["orders", 2, 2], ["orders", 1, 5], ["metrics", 1, 6]]);
  expect(all[1]!.row).toMatchObject({ client_id: "a", status: "filled" });
  expect(all[2]!.row).toBeUndefined();
  // A copier that had reached `cursor` sees only what changed after it.
  expect((await j.feed.since(cursor, 100)).map((c) => c.rowId)).toEqual([1, 1]);
  expect(await j.feed.countAfter(cursor)).toBe(2);
  // A repeated no-op transition writes nothing and so adds no change.
  await j.orders.advance("a", "submitted");
  expect(await j.feed.head()).toBe(6);
});

it("describes replicated tables' columns for the replica schema", async () => {
  const cols = await j.feed.columns("orders");
  expect(cols.find((c) => c.name === "id")?.primaryKey).toBe(true);
  expect(cols.map((c) => c.name)).toContain("reconciled_at");
});

it("an upsert that updates a replicated table is stamped like any write (a restart refreshes the journal's account)", async () => {
  const scope = { accountId: "101-001-1-001", mode: "practice" as const };
  const path = join(dir, "scoped.db");
  const first = await openJournal({ path, scope, clock: { now: () => now } });
  await first.close();
  now += 60_000;
  // The second open upserts journal_accounts' existing row: the trigger must not refuse it.
  const again = await openJournal({ path, scope, clock: { now: () => now } });
  try {
    const accounts = await again.db.selectFrom("journal_accounts").selectAll().execute();
    expect(accounts).toMatchObject([{ account_id: scope.accountId, mode: "practice", first_seen_at: "2026-03-02T09:00:00.000Z", last_seen_at: "2026-03-02T09:01:00.000Z" }]);
    const changes = (await again.feed.since(0, 100)).filter((c) => c.table === "journal_accounts");
    expect(changes).toHaveLength(1);
    expect(changes[0]!.seq).toBe(await again.feed.head());
    expect(changes[0]!.row).toMatchObject({ last_seen_at: "2026-03-02T09:01:00.000Z" });
  } finally {
    await again.close();
  }
});
