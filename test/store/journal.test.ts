// The local journal against a real libSQL file: migrations, the order life cycle, filters.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Kysely, type Migration, Migrator, sql } from "kysely";
import { openJournal, type Journal, type NewOrderIntent } from "../../src/store/index.ts";
import { SqlPortDialect } from "../../src/store/kysely-dialect.ts";
import { openLibsqlPort } from "../../src/store/libsql-port.ts";
import { MIGRATIONS } from "../../src/store/migrations.ts";

let dir: string;
let now: number;
const clock = { now: () => now };

function intent(i: number, over: Partial<NewOrderIntent> = {}): NewOrderIntent {
  return {
    clientId: `sk-sig-${i}`,
    signalId: `sig-${i}`,
    worker: "micro_multistrat",
    strategy: "range_break",
    pocket: "micro",
    instrument: i % 2 === 0 ? "USD_JPY" : "EUR_USD",
    side: i % 3 === 0 ? "sell" : "buy",
    requestedUnits: 1000 + i,
    reduceOnly: false,
    positionFill: "OPEN_ONLY",
    priceBound: 157.123,
    ...over,
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-journal-"));
  now = Date.parse("2026-03-02T09:00:00.000Z");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("opening the journal", () => {
  it("creates the directory and every table from an empty file, in WAL mode with a busy timeout", async () => {
    const path = join(dir, "nested", "deeper", "orders.db");
    const j = await openJournal({ path, clock });
    try {
      const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(j.db);
      const names = tables.rows.map((r) => r.name);
      for (const t of ["orders", "decisions", "metrics", "account_snapshots", "control_actions", "changes"]) expect(names).toContain(t);
      const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(j.db);
      expect(mode.rows[0]!.journal_mode).toBe("wal");
      // NORMAL (1) by default: no fsync per commit; a power cut may lose the last commits (the
      // ledger adopts a lost order back: test/reconcile/adoption.test.ts), never corrupts.
      expect((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(j.db)).rows[0]!.synchronous).toBe(1);
      expect((await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(j.db)).rows[0]!.timeout).toBe(5000);
    } finally {
      await j.close();
    }
  });

  it("JOURNAL_SYNCHRONOUS=full makes every commit wait for fsync (synchronous FULL)", async () => {
    const j = await openJournal({ path: join(dir, "orders.db"), clock, synchronous: "full" });
    try {
      expect((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(j.db)).rows[0]!.synchronous).toBe(2);
    } finally {
      await j.close();
    }
  });

  it("re-opening runs no migration twice and keeps the data", async () => {
    const path = join(dir, "orders.db");
    const a = await openJournal({ path, clock });
    await a.orders.insertIntent(intent(1));
    await a.close();
    const b = await openJournal({ path, clock });
    try {
      const ran = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(b.db);
      expect(ran.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
      expect(Object.keys(MIGRATIONS).slice(0, 3)).toEqual(["001_journal", "002_transactions", "003_account_mode"]);
      expect((await b.orders.findByClientId("sk-sig-1"))?.requestedUnits).toBe(1001);
    } finally {
      await b.close();
    }
  });

  it("migrations that fail part-way leave the journal as it was: none of the pending ones is half applied or recorded", async () => {
    const db = new Kysely<any>({ dialect: new SqlPortDialect(openLibsqlPort(join(dir, "orders.db"))) });
    try {
      const first: Migration = { async up(d) { await d.schema.createTable("first_table").addColumn("x", "integer").execute(); } };
      const broken: Migration = {
        async up(d) {
          await d.schema.createTable("half_table").addColumn("x", "integer").execute();
          await sql`INSERT INTO no_such_table VALUES (1)`.execute(d);
        },
      };
      const r = await new Migrator({ db, provider: { getMigrations: async () => ({ "001_first": first, "002_broken": broken }) } }).migrateToLatest();
      expect(r.error).toBeDefined();
      const tables = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db)).rows.map((t) => t.name);
      expect(tables).not.toContain("first_table");
      expect(tables).not.toContain("half_table");
      const recorded = tables.includes("kysely_migration") ? (await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db)).rows : [];
      expect(recorded).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it("a journal that records a migration this release does not know (a newer release's) is refused, naming it", async () => {
    const path = join(dir, "orders.db");
    const a = await openJournal({ path, clock });
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('999_from_a_newer_release', '2030-01-01T00:00:00.000Z')`.execute(a.db);
    await a.close();
    await expect(openJournal({ path, clock })).rejects.toThrow(/999_from_a_newer_release/);
  });
});

describe("orders", () => {
  let j: Journal;
  beforeEach(async () => { j = await openJournal({ path: join(dir, "orders.db"), clock }); });
  afterEach(async () => { await j.close(); });

  it("an intent is readable by a second connection as soon as insertIntent resolves", async () => {
    await j.orders.insertIntent(intent(7, { requestJson: { order: { units: "1007" } } }));
    const other = await openJournal({ path: join(dir, "orders.db"), clock });
    try {
      const row = await other.orders.findByClientId("sk-sig-7");
      expect(row?.status).toBe("intent");
      expect(row?.intentAt).toBe("2026-03-02T09:00:00.000Z");
      expect(JSON.parse(row!.requestJson!)).toEqual({ order: { units: "1007" } });
    } finally {
      await other.close();
    }
  });

  it("insertIntent is idempotent on clientId: the first row stays unchanged", async () => {
    const first = await j.orders.insertIntent(intent(1));
    await j.orders.advance("sk-sig-1", "submitted");
    now += 1000;
    const again = await j.orders.insertIntent(intent(1, { requestedUnits: 999_999 }));
    expect(again.requestedUnits).toBe(first.requestedUnits);
    expect(again.status).toBe("submitted");
    expect((await j.orders.list({})).rows).toHaveLength(1);
  });

  it("rejects bad intents with a clear message and writes nothing", async () => {
    await expect(j.orders.insertIntent(intent(1, { requestedUnits: -5 }))).rejects.toThrow(/requestedUnits must be a positive number/);
    await expect(j.orders.insertIntent(intent(1, { side: "long" as never }))).rejects.toThrow(/side must be buy or sell/);
    expect((await j.orders.list({})).rows).toHaveLength(0);
  });

  it("moves forward through the life cycle, stamping each transition and applying the patch", async () => {
    await j.orders.insertIntent(intent(1));
    now += 10;
    await j.orders.advance("sk-sig-1", "submitted");
    now += 20;
    const filled = await j.orders.advance("sk-sig-1", "filled", { filledUnits: 1001, fillPrice: 157.1, oandaOrderId: "6", oandaTradeId: "7", oandaTransactionId: "7", responseJson: { ok: 1 } });
    expect(filled).toMatchObject({
      status: "filled",
      submittedAt: "2026-03-02T09:00:00.010Z",
      filledAt: "2026-03-02T09:00:00.030Z",
      updatedAt: "2026-03-02T09:00:00.030Z",
      filledUnits: 1001,
      fillPrice: 157.1,
      oandaTradeId: "7",
      responseJson: '{"ok":1}',
    });
    now += 30;
    const rec = await j.orders.advance("sk-sig-1", "reconciled", { note: "matched broker" });
    expect(rec).toMatchObject({ status: "reconciled", reconciledAt: "2026-03-02T09:00:00.060Z", note: "matched broker", filledAt: "2026-03-02T09:00:00.030Z" });
  });

  it("a backward or repeated transition is a no-op that returns the current row untouched", async () => {
    await j.orders.insertIntent(intent(1));
    await j.orders.advance("sk-sig-1", "filled", { fillPrice: 150 });
    const before = await j.orders.findByClientId("sk-sig-1");
    now += 5000;
    expect(await j.orders.advance("sk-sig-1", "filled", { fillPrice: 999 })).toEqual(before);
    expect(await j.orders.advance("sk-sig-1", "cancelled", { cancelReason: "late" })).toEqual(before);
    expect(await j.orders.advance("sk-sig-1", "submitted")).toEqual(before);
    expect(await j.orders.advance("sk-sig-1", "intent")).toEqual(before);
  });

  it("advance on an unknown client id returns undefined", async () => {
    expect(await j.orders.advance("sk-nope", "submitted")).toBeUndefined();
  });

  it("unsettled() lists intent, submitted and unknown orders; countByStatus counts all", async () => {
    for (let i = 1; i <= 6; i++) await j.orders.insertIntent(intent(i));
    await j.orders.advance("sk-sig-2", "submitted");
    await j.orders.advance("sk-sig-3", "unknown", { error: "timeout" });
    await j.orders.advance("sk-sig-4", "filled");
    await j.orders.advance("sk-sig-5", "rejected", { rejectReason: "INSUFFICIENT_MARGIN" });
    await j.orders.advance("sk-sig-6", "cancelled");
    const u = await j.orders.unsettled();
    expect(u.map((r) => r.clientId)).toEqual(["sk-sig-1", "sk-sig-2", "sk-sig-3"]);
    expect(await j.orders.countByStatus()).toEqual({ intent: 1, submitted: 1, unknown: 1, filled: 1, cancelled: 1, rejected: 1, reconciled: 0 });
  });

  it("list filters by status, instrument and since, newest first, and pages with a cursor", async () => {
    for (let i = 1; i <= 25; i++) {
      now = Date.parse("2026-03-02T09:00:00.000Z") + i * 60_000;
      await j.orders.insertIntent(intent(i));
      if (i % 5 === 0) await j.orders.advance(`sk-sig-${i}`, "filled");
    }
    const usd = await j.orders.list({ instrument: "USD_JPY" });
    expect(usd.rows.map((r) => r.clientId)).toEqual([24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2].map((i) => `sk-sig-${i}`));
    const filled = await j.orders.list({ status: "filled", since: "2026-03-02T18:10:00+09:00" });
    expect(filled.rows.map((r) => r.clientId)).toEqual(["sk-sig-25", "sk-sig-20", "sk-sig-15", "sk-sig-10"]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await j.orders.list({ limit: 7, cursor });
      seen.push(...page.rows.map((r) => r.clientId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen[0]).toBe("sk-sig-25");
    await expect(j.orders.list({ since: "yesterday" })).rejects.toThrow(/since must be an ISO-8601 time/);
    await expect(j.orders.list({ limit: 0 })).rejects.toThrow(/limit must be/);
  });

  it("lists by intent time, then id, and a cursor pages through equal times and a clock that stepped back", async () => {
    const at = ["09:00:03", "09:00:01", "09:00:02", "09:00:02", "09:00:02", "09:00:01"];
    for (const [i, t] of at.entries()) {
      now = Date.parse(`2026-03-02T${t}.000Z`);
      await j.orders.insertIntent(intent(i + 1));
    }
    const newestFirst = ["sk-sig-1", "sk-sig-5", "sk-sig-4", "sk-sig-3", "sk-sig-6", "sk-sig-2"];
    expect((await j.orders.list({})).rows.map((r) => r.clientId)).toEqual(newestFirst);
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await j.orders.list({ limit, cursor });
        seen.push(...page.rows.map((r) => r.clientId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(newestFirst);
    }
    for (const bad of ["abc", "7", "2026-03-02T09:00:01.000Z_0", "yesterday_3"]) {
      await expect(j.orders.list({ cursor: bad })).rejects.toThrow(/cursor is not one this journal issued/);
    }
  });
});

describe("decisions, metrics, snapshots, control", () => {
  let j: Journal;
  beforeEach(async () => { j = await openJournal({ path: join(dir, "orders.db"), clock }); });
  afterEach(async () => { await j.close(); });

  it("records a skipped decision with the numbers behind it", async () => {
    await j.decisions.insert({ signalId: "s1", worker: "fast_scalp", strategy: "tick", pocket: "scalp_fast", instrument: "USD_JPY", side: "buy", outcome: "skipped", reason: "spread", detail: { spreadPips: 1.4, limit: 1.0 } });
    await j.decisions.insert({ signalId: "s2", worker: "hedge_balancer", strategy: "hedge", pocket: "macro", instrument: "USD_JPY", side: "sell", outcome: "accepted", units: 25_000, clientId: "sk-s2" });
    const [latest, first] = await j.decisions.recent(10);
    expect(latest).toMatchObject({ signalId: "s2", outcome: "accepted", units: 25_000, clientId: "sk-s2", ts: "2026-03-02T09:00:00.000Z" });
    expect(first).toMatchObject({ signalId: "s1", outcome: "skipped", reason: "spread", detail: { spreadPips: 1.4, limit: 1.0 } });
  });

  it("prunes metric points older than the retention and keeps the rest", async () => {
    const day = 86_400_000;
    await j.metrics.record("account.margin_usage_ratio", 0.5, { account: "a" }, now - 10 * day);
    await j.metrics.record("account.margin_usage_ratio", 0.6, undefined, now - 2 * day);
    await j.metrics.record("free_margin_ratio", 0.4);
    expect(await j.metrics.prune(7)).toBe(1);
    expect((await j.metrics.series("account.margin_usage_ratio")).map((p) => p.value)).toEqual([0.6]);
    await expect(j.metrics.record("x", Number.NaN)).rejects.toThrow(/finite/);
  });

  it("stores account snapshots and control actions", async () => {
    await j.snapshots.insert({ id: "001", currency: "JPY", balance: 500_000, nav: 498_000, unrealizedPL: -2000, marginUsed: 31_000, marginAvailable: 467_000, marginCloseoutPercent: 0.03, hedgingEnabled: true, lastTransactionID: "42", positions: [{ instrument: "USD_JPY", long: 50_000, short: 45_000 }], asOf: now });
    expect(await j.snapshots.latest()).toEqual({ ts: "2026-03-02T09:00:00.000Z", nav: 498_000, marginUsed: 31_000, marginAvailable: 467_000 });
    await j.control.insert("pause", "operator@127.0.0.1", "manual");
    await j.control.insert("resume", "operator@127.0.0.1", { reason: "spread normal" });
    const [resume, pause] = await j.control.recent(5);
    expect(resume).toMatchObject({ action: "resume", detail: { reason: "spread normal" } });
    expect(pause).toMatchObject({ action: "pause", detail: "manual" });
  });
});
