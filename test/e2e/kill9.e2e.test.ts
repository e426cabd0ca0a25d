// kill -9 during a held order, with real processes: `sekisho sim` runs as the broker in one
// process, the agent (practice mode against it) in another, both under Deno from source. The
// broker holds the agent's order POST (latency through /sim/faults); the agent process is
// SIGKILLed while the POST is in flight and started again on the same journal. The order fills
// at the broker after the agent died; the restarted agent must settle the journal row from the
// broker's ledger as filled, count the order while its fate is unknown, and never send it again,
// not even when the operator repeats the signal. Broker-side facts come from the simulator's own
// transaction history, read over its REST API. A third run blocks the journal row's write (a
// trigger added to the agent's file from outside), so when the agent dies the order exists only as
// a line of its intent log: the restarted agent must write it from there and settle it the same.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import Database from "libsql";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientIdForSignal } from "../../src/core/client-id.ts";
import { type Agent, startAgent, waitForHealthOk } from "../smoke/agent-process.ts";
import { ROOT } from "../smoke/binary.ts";
import { delay as sleep } from "../helpers/wait.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");
const MAIN = join(ROOT, "src", "main.ts");
const TOKEN = "kill9-control-token-0123456789abcdef";
const AUTH = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", "X-Sekisho-Actor": "e2e" };
/** How long the broker holds the order POST: long enough to kill and restart the agent inside it. */
const HOLD_MS = 12_000;
const UNITS = 10_000;

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

interface Broker {
  url: string;
  accountId: string;
  token: string;
  stop(): Promise<void>;
}

/** `sekisho sim --port 0` as its own process; its start-up lines say where it listens and the account. */
async function startBroker(cwd: string, env: Record<string, string>): Promise<Broker> {
  const child: ChildProcess = spawn(DENO, ["run", "-A", "--config", join(ROOT, "deno.json"), MAIN, "sim", "--port", "0"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => { out += s; });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => { out += s; });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await gone;
  };
  try {
    const m = await poll("the simulator's start-up lines", 120_000, async () => {
      if (child.exitCode !== null) throw new Error(`sekisho sim exited with ${child.exitCode}: ${out}`);
      const url = /OANDA_REST_URL=(\S+)/.exec(out)?.[1];
      const account = /OANDA_ACCOUNT_ID=(\S+)/.exec(out)?.[1];
      const token = /OANDA_TOKEN=(\S+)/.exec(out)?.[1];
      return url && account && token ? { url, account, token } : undefined;
    });
    return { url: m.url, accountId: m.account, token: m.token, stop };
  } catch (e) {
    child.kill("SIGKILL");
    throw new Error(`${(e as Error).message}\n--- sim output ---\n${out}`);
  }
}

type Tx = { id: string; type: string; clientOrderID?: string; clientExtensions?: { id?: string }; units?: string };

/**
 * `horizonSec` is ORDER_FATE_HORIZON_SEC of the restarted agent: the default (120 s) keeps the row
 * open until the fill; 1 s makes start-up reconciliation give the order up as never executed
 * before the broker executes it, so the fill arrives as a *late fill*.
 */
function killNineScenario(name: string, horizonSec: number | undefined, late: boolean, rowBlocked = false): void {
// Concurrent: each scenario has its own broker, agent and directory, and most of its time is the
// broker's hold, so the three holds overlap instead of adding up.
describe.concurrent(name, () => {
  let dir = "";
  let broker: Broker | undefined;
  let agent: Agent | undefined;
  let env: Record<string, string> = {};

  const startAgentProcess = () => startAgent(DENO, ["run", "-A", "--config", join(ROOT, "deno.json"), MAIN, "run", "--practice"], { cwd: dir, env, timeoutMs: 120_000 });
  const brokerTransactions = async (): Promise<Tx[]> => {
    const res = await fetch(`${broker!.url}/v3/accounts/${broker!.accountId}/transactions/sinceid?id=0`, { headers: { Authorization: `Bearer ${broker!.token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { transactions: Tx[] }).transactions;
  };
  const setFaults = async (f: Record<string, unknown>) => {
    const res = await fetch(`${broker!.url}/sim/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(f) });
    expect(res.status).toBe(200);
  };
  const order = async (clientId: string) => {
    const res = await fetch(`${agent!.url}/orders/${clientId}`, { headers: AUTH });
    return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
  };
  const signal = (id: string) =>
    fetch(`${agent!.url}/control/signal`, {
      method: "POST", headers: AUTH,
      body: JSON.stringify({ id, instrument: "USD_JPY", side: "buy", units: UNITS, pocket: "macro" }),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sekisho-kill9-"));
    // Only what Deno needs plus the settings: nothing from the runner's environment leaks in.
    const base: Record<string, string> = { HOME: process.env["HOME"] ?? dir, PATH: "", NO_COLOR: "1" };
    if (process.env["DENO_DIR"]) base["DENO_DIR"] = process.env["DENO_DIR"];
    broker = await startBroker(dir, base);
    env = {
      ...base,
      OANDA_REST_URL: broker.url, OANDA_STREAM_URL: broker.url, OANDA_ACCOUNT_ID: broker.accountId, OANDA_TOKEN: broker.token,
      DB_PATH: join(dir, "orders.db"), HTTP_PORT: "0", CONTROL_TOKEN: TOKEN,
      // Only the operator trades: no worker may place an order of its own.
      HEDGE_BALANCER_ENABLED: "0", FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0",
      ORDER_TIMEOUT_MS: "3000",
    };
    agent = await startAgentProcess();
    await waitForHealthOk(agent.url, 60_000);
  }, 240_000);

  afterAll(async () => {
    await agent?.stop("SIGKILL");
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("one order at the broker, filled after the agent died; the restarted agent settles it as filled and sends nothing twice", async () => {
    const signalId = `kill9-${Date.now()}`;
    const clientId = clientIdForSignal(`op-${signalId}`); // operator signals are namespaced op-
    await setFaults({ latencyMs: HOLD_MS });
    // From outside, on the agent's own file: every write of an order row fails from now on.
    const db = rowBlocked ? new Database(env["DB_PATH"]!, { timeout: 5_000 }) : undefined;
    db?.exec("CREATE TRIGGER kill9_refuse BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'kill9: refused'); END");
    const answer = signal(signalId).catch(() => undefined); // the agent dies before it can answer
    // The intent is journaled and the request written; the broker holds it.
    await poll("the order row to say submitted", 20_000, async () => ((await order(clientId))?.["status"] === "submitted" ? true : undefined));
    await sleep(500);
    if (db) {
      // The agent answers from its intent log; the journal file has no row, the log has the line.
      expect(Number((db.prepare("SELECT count(*) AS n FROM orders WHERE client_id = ?").get(clientId) as { n: number }).n)).toBe(0);
      expect(readFileSync(`${env["DB_PATH"]}-intents`, "utf8")).toContain(`"clientId":"${clientId}"`);
    }
    // Later requests are not held (the held POST keeps the latency it started with).
    await setFaults({ latencyMs: 0 });
    expect((await brokerTransactions()).filter((t) => t.clientExtensions?.id === clientId || t.clientOrderID === clientId)).toEqual([]);

    const code = await agent!.stop("SIGKILL");
    expect(code).toBeNull(); // killed by the signal: no clean shutdown
    await answer;
    db?.exec("DROP TRIGGER kill9_refuse");
    db?.close();
    // The horizon is applied by reconciliation (at start-up, then every RECONCILE_INTERVAL_SEC):
    // run it every second so it gets its chance within the hold.
    if (horizonSec !== undefined) env = { ...env, ORDER_FATE_HORIZON_SEC: String(horizonSec), RECONCILE_INTERVAL_SEC: "1" };
    agent = await startAgentProcess();

    // Restarted at once, well inside the hold.
    if (late) {
      // Given up too early (the horizon is too short for this broker): "never executed".
      await poll("the row given up as never executed", 8_000, async () => ((await order(clientId))?.["status"] === "reconciled" ? true : undefined));
    } else {
      // Not given up as never executed: it still counts as exposure.
      expect((await order(clientId))?.["status"]).toMatch(/^(submitted|unknown)$/);
    }
    // The operator repeats the signal while its fate is unknown: it is not sent again.
    const again = await signal(signalId);
    expect([200, 202]).toContain(again.status);
    expect(await again.json()).toMatchObject({ clientId });

    // The broker executes the held order; the restarted agent learns it from the broker's ledger.
    const settled = await poll("the order row to be filled", HOLD_MS + 60_000, async () => {
      const o = await order(clientId);
      return o?.["status"] === "filled" ? o : undefined;
    });
    expect(settled).toMatchObject({ clientId, filledUnits: UNITS });
    const health = (await (await fetch(`${agent!.url}/health`)).json()) as { status: string };
    if (late) {
      expect(String(settled["note"])).toMatch(/late fill/);
      expect(health.status).toBe("degraded"); // the operator is told
    } else {
      expect(String(settled["note"] ?? "")).not.toMatch(/late fill/);
    }

    const txs = await brokerTransactions();
    const created = txs.filter((t) => t.type === "MARKET_ORDER" && t.clientExtensions?.id === clientId);
    const fills = txs.filter((t) => t.type === "ORDER_FILL" && t.clientOrderID === clientId);
    expect(created).toHaveLength(1);
    expect(fills).toHaveLength(1);
    expect(Number(fills[0]!.units)).toBe(UNITS);
    // Nothing else was ever ordered: one market order in the broker's whole history.
    expect(txs.filter((t) => t.type === "MARKET_ORDER")).toHaveLength(1);
    await sleep(1_000);
    expect((await brokerTransactions()).filter((t) => t.type === "MARKET_ORDER")).toHaveLength(1);
  }, 240_000);
});
}

killNineScenario("kill -9 of the agent process during a held order POST (separate sekisho sim as the broker)", undefined, false);
killNineScenario("kill -9 during a held order POST, restarted with a fate horizon shorter than the hold: the fill arrives as a late fill", 1, true);
killNineScenario("kill -9 during a held order POST whose journal row could not be written: the restarted agent writes it from the intent log and settles it", undefined, false, true);
