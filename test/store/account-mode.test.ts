// Journal rows carry the account and the run mode (migration 003), so paper never mixes with real
// money and one database can hold many agents. A journal from before the migration is upgraded in
// place; its old rows are attributed to the running account only when its account snapshots say
// it never saw another, and are never guessed otherwise.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, Migrator } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { SqlPortDialect } from "../../src/store/kysely-dialect.ts";
import { openLibsqlPort } from "../../src/store/libsql-port.ts";
import { MIGRATIONS } from "../../src/store/migrations.ts";
import { accountsInMode, openJournal } from "../../src/store/index.ts";
import type { JournalDB } from "../../src/store/tables.ts";
import { orderIntent } from "../replica/helpers.ts";

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A journal as the previous release left it: migrations 001 and 002 only, with orders and snapshots. */
async function legacyJournal(snapshotAccounts: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "sekisho-legacy-"));
  dirs.push(dir);
  const path = join(dir, "orders.db");
  const db = new Kysely<JournalDB>({ dialect: new SqlPortDialect(openLibsqlPort(path)) });
  const old = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < "003"));
  const r = await new Migrator({ db, provider: { getMigrations: async () => old } }).migrateToLatest();
  expect(r.error).toBeUndefined();
  const now = "2026-03-02T00:00:00.000Z";
  for (let i = 1; i <= 3; i++) {
    const o = orderIntent(i);
    await db.insertInto("orders").values({
      client_id: o.clientId, signal_id: o.signalId, worker: o.worker, strategy: o.strategy, pocket: o.pocket, instrument: o.instrument,
      side: o.side, requested_units: o.requestedUnits, filled_units: null, reduce_only: 0, position_fill: "OPEN_ONLY", price_bound: null,
      tp_price: null, sl_price: null, status: "intent", request_json: null, intent_at: now, updated_at: now,
    } as never).execute();
  }
  for (const a of snapshotAccounts) {
    await db.insertInto("account_snapshots").values({
      ts: now, account_id: a, currency: "JPY", balance: 1, nav: 1, unrealized_pl: 0, margin_used: 0, margin_available: 1,
      margin_closeout_percent: 0, hedging_enabled: 1, last_transaction_id: "1", positions_json: "[]",
    } as never).execute();
  }
  await db.destroy();
  return path;
}

describe("account and mode on journal rows", () => {
  it("new rows carry the journal's account and mode; filters pick them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sekisho-scope-"));
    dirs.push(dir);
    const path = join(dir, "orders.db");
    const paper = await openJournal({ path, scope: { accountId: "SIM-001", mode: "paper" } });
    await paper.orders.insertIntent(orderIntent(1, "p"));
    await paper.decisions.insert({ signalId: "p-1", worker: "w", strategy: "s", pocket: "micro", instrument: "USD_JPY", side: "buy", outcome: "accepted" });
    await paper.close();
    const live = await openJournal({ path, scope: { accountId: "001-009-42-001", mode: "live" } });
    await live.orders.insertIntent(orderIntent(1, "l"));
    await live.orders.insertIntent(orderIntent(2, "l"));
    expect((await live.orders.list({ mode: "paper" })).rows.map((r) => [r.clientId, r.accountId, r.mode])).toEqual([["sk-p-1", "SIM-001", "paper"]]);
    expect((await live.orders.list({ mode: "live" })).rows.map((r) => r.clientId)).toEqual(["sk-l-2", "sk-l-1"]);
    expect((await live.orders.list({ accountId: "SIM-001" })).rows).toHaveLength(1);
    expect((await live.orders.list({})).rows).toHaveLength(3);
    const d = await live.db.selectFrom("decisions").select(["account_id", "mode"]).execute();
    expect(d).toEqual([{ account_id: "SIM-001", mode: "paper" }]);
    expect(await accountsInMode(live.db, "live")).toEqual(["001-009-42-001"]);
    expect(await accountsInMode(live.db, "paper")).toEqual(["SIM-001"]);
    // A signal's first decision is looked up in the journal's own account and mode only, oldest first.
    expect(await live.decisions.firstFor("p-1")).toBeUndefined();
    await live.decisions.insert({ signalId: "p-1", worker: "w", strategy: "s", pocket: "micro", instrument: "USD_JPY", side: "buy", outcome: "skipped", reason: "kill_switch" });
    await live.decisions.insert({ signalId: "p-1", worker: "w", strategy: "s", pocket: "micro", instrument: "USD_JPY", side: "buy", outcome: "skipped", reason: "duplicate_signal" });
    expect(await live.decisions.firstFor("p-1")).toMatchObject({ signalId: "p-1", outcome: "skipped", reason: "kill_switch" });
    await live.close();
    const paperAgain = await openJournal({ path, scope: { accountId: "SIM-001", mode: "paper" } });
    expect(await paperAgain.decisions.firstFor("p-1")).toMatchObject({ outcome: "accepted" });
    await paperAgain.close();
  });

  it("an old journal of this account only: its rows are attributed to it", async () => {
    const path = await legacyJournal(["101-001-7-001", "101-001-7-001"]);
    const j = await openJournal({ path, scope: { accountId: "101-001-7-001", mode: "practice" } });
    const rows = (await j.orders.list({})).rows;
    expect(rows.map((r) => [r.accountId, r.mode])).toEqual(Array(3).fill(["101-001-7-001", "practice"]));
    await j.close();
  });

  it("an old journal that saw another account: its rows stay unattributed (null), never guessed", async () => {
    for (const accounts of [["101-001-7-001", "101-001-8-001"], ["101-001-8-001"], []]) {
      const path = await legacyJournal(accounts);
      const j = await openJournal({ path, scope: { accountId: "101-001-7-001", mode: "practice" } });
      const rows = (await j.orders.list({})).rows;
      expect(rows.map((r) => [r.accountId, r.mode])).toEqual(Array(3).fill([null, null]));
      expect((await j.orders.list({ mode: "practice" })).rows).toEqual([]);
      await j.close();
    }
  });
});
