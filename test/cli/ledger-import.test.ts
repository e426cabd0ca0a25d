// `sekisho ledger import --from ID` against a simulator as the broker: the account's transactions
// from ID up to where the journal's ledger began are stored (trades from before sekisho ran then
// appear in `sekisho trades`), nothing after the ledger's start is touched (that is the running
// agent's to store and attribute), a repeat stores nothing new, and mistakes are exit 2.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseScenario, type SimHandle, startSimulator } from "../../src/sim/index.ts";
import { openJournal } from "../../src/store/index.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { cli } from "./in-process.ts";
import { simAccount } from "./sim-account.ts";

let dir: string;
let sim: SimHandle;
let account: ReturnType<typeof simAccount>;
let dbPath: string;
let cursor: number;

const allTransactions = async () => ((await account.rest("GET", "/transactions/sinceid?id=0")).transactions as { id: string }[]).map((t) => Number(t.id));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-ledger-import-"));
  sim = await startSimulator({ scenario: parseScenario(jpyScenario()) });
  account = simAccount(sim);
  // Before sekisho ran: a trade opened and closed by hand.
  const opened = await account.marketOrder(3000);
  await account.rest("PUT", `/trades/${opened.orderFillTransaction.tradeOpened.tradeID}/close`, { units: "ALL" });
  // The journal's first start: its ledger begins at the account's last transaction.
  dbPath = join(dir, "orders.db");
  const journal = await openJournal({ path: dbPath, scope: { accountId: sim.accountId, mode: "practice" } });
  cursor = Math.max(...(await allTransactions()));
  await journal.transactions.setCursor(sim.accountId, cursor);
  await journal.close();
  // After the ledger began: the running agent's to store.
  await account.marketOrder(1000);
  account.stubCredentials();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const storedIds = async () => {
  const j = await openJournal({ path: dbPath });
  try {
    return (await j.transactions.since(0, 10_000)).map((t) => Number(t.id));
  } finally {
    await j.close();
  }
};

describe("sekisho ledger import", () => {
  it("stores the history up to the ledger's start, and only that; the trade from before appears in sekisho trades", async () => {
    expect(await storedIds()).toEqual([]);
    const r = await cli(["ledger", "import", "--from", "1", "--db", dbPath]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const all = await allTransactions();
    expect(await storedIds()).toEqual(all.filter((id) => id <= cursor));
    expect(all.some((id) => id > cursor)).toBe(true);
    expect(r.out).toMatch(new RegExp(`stored ${all.filter((id) => id <= cursor).length} new; the ledger began after ${cursor}`));

    const trades = JSON.parse((await cli(["trades", "--db", dbPath, "--json"])).out) as Record<string, unknown>[];
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ side: "buy", units: 3000, state: "closed", pocket: "manual", closeReason: "manual" });
  });

  it("is safe to repeat: nothing new is stored", async () => {
    const before = await storedIds();
    const r = await cli(["ledger", "import", "--from", "1", "--db", dbPath]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/stored 0 new/);
    expect(await storedIds()).toEqual(before);
  });

  it("refuses a journal whose ledger never began, and a bad --from, with exit 2 and one line", async () => {
    const fresh = join(dir, "fresh.db");
    await (await openJournal({ path: fresh })).close();
    const r = await cli(["ledger", "import", "--from", "1", "--db", fresh]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no ledger of account .* start the agent on it once/);
    const bad = await cli(["ledger", "import", "--from", "abc", "--db", dbPath]);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split("\n")).toHaveLength(1);
    expect(bad.err).toMatch(/--from must be an OANDA transaction id/);
  });
});
