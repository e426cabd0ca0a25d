// `sekisho trades --broker` and `sekisho pnl --broker`: each open trade's unrealized P/L from the
// broker now (a simulator here), instead of the journal snapshot's per-instrument figure. The
// journal's ledger holds the account's transactions as the agent would have stored them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { LedgerTransaction } from "../../src/store/index.ts";
import { openJournal } from "../../src/store/index.ts";
import { parseScenario, type SimHandle, startSimulator } from "../../src/sim/index.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { cli } from "./in-process.ts";
import { simAccount } from "./sim-account.ts";

let dir: string;
let sim: SimHandle;
let account: ReturnType<typeof simAccount>;
let dbPath: string;
let brokerUpl: Map<string, number>;


beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-broker-upl-"));
  sim = await startSimulator({ scenario: parseScenario(jpyScenario()) });
  account = simAccount(sim);
  await account.marketOrder(2000);
  await account.marketOrder(-1000);
  const closed = await account.marketOrder(3000);
  await account.rest("PUT", `/trades/${closed.orderFillTransaction.tradeOpened.tradeID}/close`, { units: "ALL" });
  dbPath = join(dir, "orders.db");
  const journal = await openJournal({ path: dbPath, scope: { accountId: sim.accountId, mode: "practice" } });
  await journal.transactions.append(sim.accountId, (await account.rest("GET", "/transactions/sinceid?id=0")).transactions as LedgerTransaction[]);
  await journal.close();
  const open = (await account.rest("GET", "/openTrades")).trades as { id: string; unrealizedPL: string }[];
  brokerUpl = new Map(open.map((t) => [t.id, Number(t.unrealizedPL)]));
  expect(brokerUpl.size).toBe(2);
  account.stubCredentials();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("--broker: unrealized P/L per open trade from OANDA", () => {
  it("trades --broker gives each open trade the broker's figure, and closed trades none", async () => {
    const r = await cli(["trades", "--db", dbPath, "--broker", "--json"]);
    expect(r.code).toBe(0);
    const trades = JSON.parse(r.out) as { id: string; state: string; unrealizedPL: number | null }[];
    expect(trades).toHaveLength(3);
    for (const t of trades) expect(t.unrealizedPL).toBe(t.state === "open" ? brokerUpl.get(t.id) : null);
    expect(trades.filter((t) => t.unrealizedPL !== null && t.unrealizedPL !== 0)).toHaveLength(2);
    const csv = (await cli(["trades", "--db", dbPath, "--broker", "--csv"])).out.split("\r\n");
    expect(csv[0]!.endsWith(",unrealizedPL")).toBe(true);
    // Without --broker nothing is asked and the column is absent.
    expect((await cli(["trades", "--db", dbPath, "--csv"])).out).not.toContain("unrealizedPL");
  });

  it("pnl --broker sums the open trades' figures per group and says where they come from", async () => {
    const r = await cli(["pnl", "--db", dbPath, "--broker", "--by", "instrument", "--json"]);
    expect(r.code).toBe(0);
    const pnl = JSON.parse(r.out) as { unrealizedSource: string; total: { unrealized: number }; rows: { key: string; unrealized: number }[] };
    expect(pnl.unrealizedSource).toBe("broker");
    const sum = [...brokerUpl.values()].reduce((a, b) => a + b, 0);
    expect(pnl.total.unrealized).toBeCloseTo(sum, 4);
    expect(pnl.rows.find((x) => x.key === "USD_JPY")!.unrealized).toBeCloseTo(sum, 4);
  });

  it("refuses an account other than the configured one, with exit 2", async () => {
    vi.stubEnv("OANDA_ACCOUNT_ID", "101-001-9999999-001");
    try {
      const r = await cli(["trades", "--db", dbPath, "--broker"]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--broker reads account 101-001-9999999-001/);
    } finally {
      vi.stubEnv("OANDA_ACCOUNT_ID", sim.accountId);
    }
  });
});
