// The broker's ledger in the journal, against a real libSQL file: stored once by OANDA id,
// typed columns as agreed, a cursor that only moves forward, replicated through the change feed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openJournal, type Journal } from "../../src/store/index.ts";

let dir: string;
let j: Journal;
const clock = { now: () => Date.parse("2026-03-02T09:00:00.000Z") };
const ACC = "101-001-0000000-001";

const fill = (id: number, over: Record<string, unknown> = {}) => ({
  id: String(id), type: "ORDER_FILL", time: "2026-03-02T09:00:00.123456789Z", orderID: String(id - 1), clientOrderID: `sk-sig-${id}`,
  instrument: "USD_JPY", units: "-10000", price: "157.123", fullVWAP: "157.123", pl: "-12.5000", financing: "0.0000",
  commission: "0.0000", accountBalance: "499987.5000", reason: "MARKET_ORDER", batchID: String(id - 1), ...over,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-ledger-"));
  j = await openJournal({ path: join(dir, "orders.db"), clock });
});
afterEach(async () => {
  await j.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the transactions ledger", () => {
  it("stores a fill once with the agreed typed columns and the raw JSON as sent", async () => {
    const tx = fill(12);
    expect((await j.transactions.append(ACC, [tx])).map((r) => r.id)).toEqual([12]);
    const row = await j.transactions.get(12);
    expect(row).toMatchObject({
      id: 12, accountId: ACC, type: "ORDER_FILL", time: "2026-03-02T09:00:00.123456789Z", instrument: "USD_JPY", units: -10000,
      price: 157.123, orderId: "11", clientOrderId: "sk-sig-12", batchId: "11", reason: "MARKET_ORDER", pl: -12.5, financing: 0,
      commission: 0, accountBalance: 499987.5, receivedAt: "2026-03-02T09:00:00.000Z",
    });
    expect(row!.raw).toEqual(tx);
  });

  it("appending the same transactions again (stream and gap fill, a restart) stores nothing twice", async () => {
    await j.transactions.append(ACC, [fill(3), fill(4)]);
    const again = await j.transactions.append(ACC, [fill(4, { pl: "999" }), fill(5), fill(3)]);
    expect(again.map((r) => r.id)).toEqual([5]);
    const all = await j.transactions.since(0);
    expect(all.map((r) => r.id)).toEqual([3, 4, 5]);
    expect(all[1]!.pl).toBe(-12.5); // the first copy stands
  });

  it("an order-creating transaction is its own order, keyed by its clientExtensions id", async () => {
    await j.transactions.append(ACC, [
      { id: "20", type: "MARKET_ORDER", time: "t", instrument: "USD_JPY", units: "5000", reason: "CLIENT_ORDER", clientExtensions: { id: "sk-op-1", tag: "sekisho:macro:operator" } },
      { id: "21", type: "ORDER_CANCEL", time: "t", orderID: "20", clientOrderID: "sk-op-1", reason: "MARKET_HALTED" },
      { id: "22", type: "MARKET_ORDER", time: "t", instrument: "USD_JPY", units: "ALL", reason: "TRADE_CLOSE", tradeClose: { tradeID: "7", units: "ALL" } },
    ]);
    expect((await j.transactions.byClientOrderId("sk-op-1")).map((r) => [r.id, r.type, r.orderId])).toEqual([[20, "MARKET_ORDER", "20"], [21, "ORDER_CANCEL", "20"]]);
    expect((await j.transactions.byOrderId("22"))[0]).toMatchObject({ units: null, reason: "TRADE_CLOSE", clientOrderId: null });
  });

  it("reads by id range and since an id, oldest first", async () => {
    await j.transactions.append(ACC, [fill(7), fill(2), fill(5), fill(9)]);
    expect((await j.transactions.range(3, 7)).map((r) => r.id)).toEqual([5, 7]);
    expect((await j.transactions.since(5)).map((r) => r.id)).toEqual([7, 9]);
    expect((await j.transactions.since(0, 2)).map((r) => r.id)).toEqual([2, 5]);
    expect(await j.transactions.maxId()).toBe(9);
  });

  it("the cursor survives a restart and never moves backwards", async () => {
    expect(await j.transactions.cursor(ACC)).toBeUndefined();
    await j.transactions.setCursor(ACC, 40);
    await j.transactions.setCursor(ACC, 35);
    expect(await j.transactions.cursor(ACC)).toBe(40);
    await j.close();
    j = await openJournal({ path: join(dir, "orders.db"), clock });
    expect(await j.transactions.cursor(ACC)).toBe(40);
    await j.transactions.setCursor(ACC, 41);
    expect(await j.transactions.cursor(ACC)).toBe(41);
  });

  it("every stored transaction is in the change feed the replicator copies to Turso", async () => {
    await j.transactions.append(ACC, [fill(30), fill(31)]);
    const changes = (await j.feed.since(0, 100)).filter((c) => c.table === "transactions");
    expect(changes.map((c) => c.rowId)).toEqual([30, 31]);
    expect(changes[0]!.row).toMatchObject({ id: 30, client_order_id: "sk-sig-30", account_id: ACC });
  });

  it("refuses a transaction without a numeric id instead of storing a row nobody can find", async () => {
    await expect(j.transactions.append(ACC, [{ id: "abc", type: "ORDER_FILL", time: "t" }])).rejects.toThrow(/transaction id/);
  });
});
