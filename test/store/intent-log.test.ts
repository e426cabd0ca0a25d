// The journal's intent log (src/store/intent-log.ts): an order's intent made durable as one line
// before its request, its journal row written after ("folded"). What must hold: a logged intent
// is the journal's row for every reader of the order path before it is folded; a process killed
// between the line and the row loses nothing (the next open writes the row, as `submitted`); a
// torn or damaged line is skipped and counted, never guessed at; a fold that fails leaves the line
// for the next start and sends the next intents the SQL way.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openJournal, type NewOrderIntent } from "../../src/store/index.ts";
import { intentLogPath } from "../../src/store/intent-log.ts";
import { AppendFile } from "../../src/runtime/append-file.ts";
import { cli } from "../cli/in-process.ts";
import type { Logger } from "../../src/core/log.ts";
import { silentLogger } from "../../src/core/log.ts";

const require = createRequire(import.meta.url);
const denoBin = resolve(require.resolve("deno/package.json"), "..", "deno");

let dir: string;
let path: string;
const clock = { now: () => Date.parse("2026-12-02T04:00:00.000Z") };
const scope = { accountId: "101-001-1-001", mode: "practice" as const };

function intent(n: number, over: Partial<NewOrderIntent> = {}): NewOrderIntent {
  return {
    clientId: `sk-fs-${n}`, signalId: `sig-${n}`, worker: "fast_scalp", strategy: "fast_scalp", pocket: "scalp_fast", instrument: "USD_JPY",
    side: "buy", requestedUnits: 1000, reduceOnly: false, positionFill: "OPEN_ONLY", priceBound: 157.2, tpPrice: 157.3, slPrice: 157.1,
    requestJson: { order: { units: "1000" } }, ...over,
  };
}

/** A logger that keeps its warnings' events. */
function recordingLog(): { log: Logger; events: Array<Record<string, unknown>> } {
  const events: Array<Record<string, unknown>> = [];
  const log = { ...silentLogger, warn: (o: unknown) => void events.push(o as Record<string, unknown>), child: () => log } as unknown as Logger;
  return { log, events };
}

const rowsIn = async (p: string) => {
  const j = await openJournal({ path: p });
  try {
    return await j.db.selectFrom("orders").selectAll().orderBy("id").execute();
  } finally {
    await j.close();
  }
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-intent-log-"));
  path = join(dir, "orders.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the journal's intent log", () => {
  it("a logged intent is a line of the log and the journal's row for the order path before any SQL writes it; the fold writes that row", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    const logged = j.orders.appendIntent(intent(1))!;
    expect(logged).toBeDefined();
    const line = JSON.parse(readFileSync(intentLogPath(path), "utf8").trim());
    expect(line).toMatchObject({ at: "2026-12-02T04:00:00.000Z", scope, intent: { clientId: "sk-fs-1", signalId: "sig-1", requestedUnits: 1000, reduceOnly: false, priceBound: 157.2 } });
    // Not in SQL yet, but the order path's readers see it.
    expect(await j.db.selectFrom("orders").selectAll().execute()).toHaveLength(0);
    expect(await j.orders.findByClientId("sk-fs-1")).toMatchObject({ signalId: "sig-1", status: "submitted" });
    expect((await j.orders.findBySignalId("sig-1")).map((r) => r.clientId)).toEqual(["sk-fs-1"]);
    // A second intent under the same client id is not logged: insertIntent keeps the first row.
    expect(j.orders.appendIntent(intent(1, { signalId: "other" }))).toBeUndefined();

    await logged.fold();
    const rows = await j.db.selectFrom("orders").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ client_id: "sk-fs-1", signal_id: "sig-1", status: "submitted", requested_units: 1000, price_bound: 157.2, intent_at: "2026-12-02T04:00:00.000Z", submitted_at: "2026-12-02T04:00:00.000Z" });
    // The same row insertIntent writes (one shape for both ways).
    const other = await j.orders.insertIntent(intent(2), "submitted");
    const both = await j.orders.list({});
    const [a, b] = [both.rows.find((r) => r.clientId === "sk-fs-1")!, both.rows.find((r) => r.clientId === other.clientId)!];
    expect({ ...a, id: 0, clientId: "", signalId: "" }).toEqual({ ...b, id: 0, clientId: "", signalId: "" });
    await logged.fold(); // twice is harmless
    expect(await j.db.selectFrom("orders").selectAll().execute()).toHaveLength(2);
    await j.close();
    expect(statSync(intentLogPath(path)).size).toBe(0); // emptied once every line is folded
  });

  it("after a failed fold, an intent under the same client id meets the logged row (written first), never a second row of its own", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    await sql`CREATE TRIGGER refuse BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'busy'); END`.execute(j.db);
    const logged = j.orders.appendIntent(intent(1))!;
    await expect(logged.fold()).rejects.toThrow(/busy/);
    await sql`DROP TRIGGER refuse`.execute(j.db);
    const first = await j.orders.insertIntent(intent(1, { signalId: "other-signal", requestedUnits: 5000 }), "submitted");
    expect(first).toMatchObject({ clientId: "sk-fs-1", signalId: "sig-1", requestedUnits: 1000 });
    expect(await j.db.selectFrom("orders").select(["signal_id", "requested_units"]).execute()).toEqual([{ signal_id: "sig-1", requested_units: 1000 }]);
    await j.close();
  });

  it("an append that fails sends nothing and the log takes no more lines; a file a failed write could not cut back refuses every later line", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    await j.close(); // its intent log is closed: the next append fails as a write to a full disk would
    expect(() => j.orders.appendIntent(intent(1))).toThrow(/closed/);
    expect(j.orders.appendIntent(intent(2))).toBeUndefined(); // the SQL way from now on
    if (existsSync("/dev/full")) {
      // A write that fails (ENOSPC) on a file that cannot be cut back either.
      const full = AppendFile.open("/dev/full");
      expect(() => full.append(new TextEncoder().encode("a line\n"))).toThrow(/ENOSPC|no space/i);
      expect(full.damaged).toBe(true);
      expect(() => full.append(new TextEncoder().encode("the next line\n"))).toThrow(/part of a record/);
      full.close();
    }
  });

  it("a line that is JSON but lacks a field the row is written with (or has it of another type) is skipped and counted, never defaulted", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    for (let n = 1; n <= 5; n++) j.orders.appendIntent(intent(n, { reduceOnly: n === 5 }));
    await j.close();
    const lines = readFileSync(intentLogPath(path), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    delete lines[0].intent.clientId;
    delete lines[1].intent.reduceOnly;
    lines[2].intent.priceBound = "157.2";
    lines[3].scope.accountId = 7;
    writeFileSync(intentLogPath(path), lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
    const { log, events } = recordingLog();
    const again = await openJournal({ path, owner: true, clock, scope, log });
    expect(await again.db.selectFrom("orders").select(["client_id", "reduce_only"]).execute()).toEqual([{ client_id: "sk-fs-5", reduce_only: 1 }]);
    expect(events.find((e) => e.event === "journal_intent_lines_unreadable")).toMatchObject({ lines: 4 });
    await again.close();
  });

  it("a row changed before its fold (a fill read from the ledger first) is written first, then changed; the fold after it changes nothing", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    const one = j.orders.appendIntent(intent(1))!;
    const two = j.orders.appendIntent(intent(2))!;
    const settled = await j.orders.settleFromLedger("sk-fs-1", "filled", { filledUnits: 1000, fillPrice: 157.19, oandaTransactionId: "42" });
    expect(settled.after).toMatchObject({ status: "filled", filledUnits: 1000, fillPrice: 157.19 });
    expect(await j.orders.advance("sk-fs-2", "unknown", { error: "no answer" })).toMatchObject({ status: "unknown", error: "no answer" });
    await one.fold();
    await two.fold();
    const rows = await j.db.selectFrom("orders").select(["client_id", "status"]).orderBy("id").execute();
    expect(rows).toEqual([{ client_id: "sk-fs-1", status: "filled" }, { client_id: "sk-fs-2", status: "unknown" }]);
    await j.close();
  });

  it("a process SIGKILLed after an intent's line and before its row: the next open writes the row as submitted, warns, and the id index knows it", async () => {
    const child = spawn(denoBin, ["run", "-A", "--config", "deno.json", "test/store/fixtures/intent-child.ts", path, "3"], { cwd: resolve(__dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => { err += String(d); });
    await new Promise<void>((ready, fail) => {
      child.stdout.on("data", (d) => String(d).includes("ready") && ready());
      child.once("exit", (code) => fail(new Error(`child exited early (${code}): ${err.slice(-2000)}`)));
    });
    // While it lives, it owns the journal: a second agent on the same file is refused.
    await expect(openJournal({ path, owner: true, clock, scope })).rejects.toThrow(/in use by another sekisho/);
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    expect(readFileSync(intentLogPath(path), "utf8")).toContain('"clientId":"sk-child-3"');

    const { log, events } = recordingLog();
    const j = await openJournal({ path, owner: true, clock, scope, log });
    const rows = await j.db.selectFrom("orders").selectAll().orderBy("id").execute();
    expect(rows.map((r) => [r.client_id, r.status, r.requested_units])).toEqual([["sk-child-1", "submitted", 1000], ["sk-child-2", "submitted", 2000], ["sk-child-3", "submitted", 3000]]);
    expect(events.find((e) => e.event === "journal_intents_recovered")).toMatchObject({ orders: ["sk-child-3"] });
    expect(statSync(intentLogPath(path)).size).toBe(0);
    expect(j.orders.appendIntent(intent(3, { clientId: "sk-child-3" }))).toBeUndefined(); // known: not a new order
    expect((await j.orders.findBySignalId("child-3")).map((r) => r.clientId)).toEqual(["sk-child-3"]);
    await j.close();
  }, 60_000);

  it("lines whose rows are already in the journal (folded, then the process killed before the log was emptied) cost no row id at the next open", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    for (let n = 1; n <= 3; n++) await j.orders.appendIntent(intent(n))!.fold();
    const lines = readFileSync(intentLogPath(path), "utf8");
    await j.close();
    writeFileSync(intentLogPath(path), lines); // as kill -9 after the folds left it
    const { log, events } = recordingLog();
    const again = await openJournal({ path, owner: true, clock, scope, log });
    expect(events.find((e) => e.event === "journal_intents_recovered")).toBeUndefined();
    await again.orders.appendIntent(intent(4))!.fold();
    // Row ids run on from the last row: recovery's writes of rows already there took none.
    expect((await again.db.selectFrom("orders").select(["id", "client_id"]).orderBy("id").execute()).map((r) => `${r.id} ${r.client_id}`)).toEqual(["1 sk-fs-1", "2 sk-fs-2", "3 sk-fs-3", "4 sk-fs-4"]);
    await again.close();
  });

  it("a torn last line and a damaged line are skipped and counted; the whole lines around them are written", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    j.orders.appendIntent(intent(1));
    j.orders.appendIntent(intent(2));
    // Closed with both unfolded (their lines stay, as when the process dies), and the file damaged meanwhile:
    // a line that is JSON but not an intent row, and a last line cut short.
    await j.close();
    const [first, second] = readFileSync(intentLogPath(path), "utf8").trim().split("\n");
    rmSync(intentLogPath(path));
    appendFileSync(intentLogPath(path), `${first}\n{"clientId":"sk-fs-9","side":"buy"}\n${second}\n{"clientId":"sk-fs-10","sig`);
    const { log, events } = recordingLog();
    const again = await openJournal({ path, owner: true, clock, scope, log });
    expect((await again.db.selectFrom("orders").select("client_id").orderBy("id").execute()).map((r) => r.client_id)).toEqual(["sk-fs-1", "sk-fs-2"]);
    expect(events.find((e) => e.event === "journal_intent_lines_unreadable")).toMatchObject({ lines: 2 });
    await again.close();
  });

  it("a fold that fails keeps the line for the next start, and the next intents go the SQL way", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    await sql`CREATE TRIGGER refuse BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(j.db);
    const logged = j.orders.appendIntent(intent(1))!;
    await expect(logged.fold()).rejects.toThrow(/disk full/);
    expect(j.orders.appendIntent(intent(2))).toBeUndefined();
    await expect(j.orders.insertIntent(intent(2), "submitted")).rejects.toThrow(/disk full/);
    // The sent order stays the journal's for reconciliation while its row is not written.
    expect((await j.orders.unsettled()).map((r) => r.clientId)).toEqual(["sk-fs-1"]);
    await sql`DROP TRIGGER refuse`.execute(j.db);
    await j.close();
    expect(readFileSync(intentLogPath(path), "utf8")).toContain('"clientId":"sk-fs-1"');
    expect((await rowsIn(path)).map((r) => r.client_id)).toEqual([]);
    const again = await openJournal({ path, owner: true, clock, scope });
    expect((await again.db.selectFrom("orders").select("client_id").execute()).map((r) => r.client_id)).toEqual(["sk-fs-1"]);
    await again.close();
  });

  it("`sekisho orders` on a journal an agent left between a line and its row names those orders on stderr, and lists the rest", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    await j.orders.appendIntent(intent(1))!.fold();
    j.orders.appendIntent(intent(2));
    await j.close(); // sk-fs-2's line stays, as after kill -9
    const run = await cli(["orders", "--db", path, "--json"]);
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/1 order\(s\) in .*orders\.db-intents have no journal row yet \(sk-fs-2\)/);
    expect(run.out).toContain("sk-fs-1");
    expect(run.out).not.toContain("sk-fs-2");
    expect(readFileSync(intentLogPath(path), "utf8")).toContain("sk-fs-2"); // a reader leaves the log alone
  });

  it("JOURNAL_INTENT_LOG off: intents go the SQL way, and a log an earlier run left is still written to the journal at open", async () => {
    const j = await openJournal({ path, owner: true, clock, scope });
    j.orders.appendIntent(intent(1));
    await j.close(); // unfolded: its line stays
    const off = await openJournal({ path, owner: true, clock, scope, intentLog: false });
    expect((await off.db.selectFrom("orders").select("client_id").execute()).map((r) => r.client_id)).toEqual(["sk-fs-1"]);
    expect(off.orders.appendIntent(intent(2))).toBeUndefined();
    await off.orders.insertIntent(intent(2), "submitted");
    await off.close();
    expect(readFileSync(intentLogPath(path), "utf8")).toBe("");
  });

  it("only the journal's owner on a file keeps a log: a reader and an in-memory journal write intents the SQL way", async () => {
    const mem = await openJournal({ path: ":memory:", clock, scope });
    expect(mem.orders.appendIntent(intent(1))).toBeUndefined();
    await mem.close();
    const owner = await openJournal({ path, owner: true, clock, scope });
    await owner.close();
    const reader = await openJournal({ path, clock, scope });
    expect(reader.orders.appendIntent(intent(1))).toBeUndefined();
    await reader.close();
  });
});

describe("one owner per journal", () => {
  it("a second owner of an open journal is refused in one line naming it; once the first closes, it opens", async () => {
    const first = await openJournal({ path, owner: true, clock, scope });
    const e = await openJournal({ path, owner: true, clock, scope }).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toBe(`the journal at ${path} is in use by another sekisho (it holds ${path}-owner); run one agent per DB_PATH`);
    // A reader is not an owner: it opens alongside.
    const reader = await openJournal({ path, clock, scope });
    await reader.close();
    await first.close();
    const second = await openJournal({ path, owner: true, clock, scope });
    await second.close();
  });
});
