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

let dir: string;
let sim: SimHandle;
let dbPath: string;
let cursor: number;

async function broker(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const res = await fetch(`${sim.restUrl}/v3/accounts/${sim.accountId}${path}`, {
    method, headers: { Authorization: `Bearer ${sim.token}`, "Content-Type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Record<string, any>;
}
const marketOrder = (units: number) => broker("POST", "/orders", { order: { type: "MARKET", instrument: "USD_JPY", units: String(units), timeInForce: "FOK", positionFill: "DEFAULT" } });
const allTransactions = async () => ((await broker("GET", "/transactions/sinceid?id=0")).transactions as { id: string }[]).map((t) => Number(t.id));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-ledger-import-"));
  sim = await startSimulator({ scenario: parseScenario(jpyScenario()) });
  // Before sekisho ran: a trade opened and closed by hand.
  const opened = await marketOrder(3000);
  await broker("PUT", `/trades/${opened.orderFillTransaction.tradeOpened.tradeID}/close`, { units: "ALL" });
  // The journal's first start: its ledger begins at the account's last transaction.
  dbPath = join(dir, "orders.db");
  const journal = await openJournal({ path: dbPath, scope: { accountId: sim.accountId, mode: "practice" } });
  cursor = Math.max(...(await allTransactions()));
  await journal.transactions.setCursor(sim.accountId, cursor);
  await journal.close();
  // After the ledger began: the running agent's to store.
  await marketOrder(1000);
  vi.stubEnv("OANDA_TOKEN", sim.token);
  vi.stubEnv("OANDA_ACCOUNT_ID", sim.accountId);
  vi.stubEnv("OANDA_REST_URL", sim.restUrl);
  vi.stubEnv("OANDA_STREAM_URL", sim.streamUrl);
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
