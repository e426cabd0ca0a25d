// The trading core with the broker's ledger, on loopback: a separate simulator as the broker,
// the real OANDA client, a real journal, account state, the gate, and the ledger (transaction
// stream + sinceid gap fills, attribution). `restart()` is a process restart: a fresh account
// state, gate and ledger on the same journal file (nothing carried over in memory). The clock is
// the wall clock plus an offset `advance(ms)` moves, so fate horizons pass without waiting.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.ts";
import type { Config } from "../../src/config/schema.ts";
import { InstrumentTable } from "../../src/core/instruments.ts";
import { silentLogger } from "../../src/core/log.ts";
import type { Clock, Signal } from "../../src/core/types.ts";
import { OandaClient, type TransactionStream } from "../../src/oanda/index.ts";
import { parseScenario, startSimulator, type SimHandle } from "../../src/sim/index.ts";
import { openJournal, type Journal } from "../../src/store/index.ts";
import type { AccountState } from "../../src/state/account-state.ts";
import type { MarketState } from "../../src/state/market-state.ts";
import type { Gate } from "../../src/gate/gate.ts";
import type { AccountSync } from "../../src/kernel/account-sync.ts";
import { createKernel } from "../../src/kernel/kernel.ts";
import { Attributor, type LedgerAlert } from "../../src/reconcile/attribution.ts";
import { LedgerIngest } from "../../src/reconcile/ingest.ts";
import { delay, waitUntil } from "./wait.ts";

export interface Process {
  account: AccountState;
  sync: AccountSync;
  market: MarketState;
  gate: Gate;
  ledger: LedgerIngest;
  stream: TransactionStream;
}

export interface LedgerRig {
  sim: SimHandle;
  client: OandaClient;
  journal: Journal;
  config: Config;
  clock: Clock;
  /** The running "process" (replaced by restart()). */
  p: Process;
  alerts: LedgerAlert[];
  advance(ms: number): void;
  refreshPrices(): Promise<void>;
  /** Start the process again on the same journal, as after kill -9 (the old one is abandoned). */
  restart(): Promise<Process>;
  /** Wait until the ledger has stored and attributed everything up to the broker's last id. */
  settleLedger(): Promise<void>;
  close(): Promise<void>;
}

export async function startLedgerRig(opts: { scenario?: unknown; env?: Record<string, string> } = {}): Promise<LedgerRig> {
  const dir = mkdtempSync(join(tmpdir(), "sekisho-ledger-rig-"));
  const { config } = parseConfig({ DB_PATH: join(dir, "orders.db"), LOG_LEVEL: "silent", ORDER_TIMEOUT_MS: "1500", ...opts.env });
  let offset = 0;
  const clock: Clock = { now: () => Date.now() + offset };
  const sim = await startSimulator({ scenario: parseScenario(opts.scenario ?? {}), port: 0 });
  const instruments = new InstrumentTable();
  const client = new OandaClient({ restUrl: sim.restUrl, streamUrl: sim.streamUrl, token: sim.token, accountId: sim.accountId, instruments, clock, timeoutMs: 3000 });
  for (const s of await client.instruments(config.INSTRUMENTS)) instruments.upsert(s);
  // Opened as the agent opens it: its one writer (the in-memory id index, the intent log).
  const journal = await openJournal({ path: config.DB_PATH, clock, owner: true });
  const alerts: LedgerAlert[] = [];
  const stale: Process[] = [];

  const start = async (): Promise<Process> => {
    // A process is a fresh kernel (state, gate) on the same journal and broker.
    const { market, account, accountSync: sync, gate } = await createKernel({
      config, clock, venue: client, journal, log: silentLogger, instruments, instrumentNames: config.INSTRUMENTS, venueName: "the simulator",
      enforceMarketHours: false, sleep: (ms) => delay(Math.min(ms, 50)),
      refreshAfterSettle: "await",
    });
    const attributor = new Attributor({ journal, account, log: silentLogger, onAlert: (a) => alerts.push(a) });
    const ledger = new LedgerIngest({ accountId: sim.accountId, journal, attributor, fetchSince: (id, s) => client.transactionsSinceId(id, s), log: silentLogger, clock });
    const from = await ledger.start(account.snapshot()!.lastTransactionID);
    await gate.start();
    const stream = client.transactionStream({
      clock, heartbeatTimeoutMs: 10_000, log: silentLogger, lastTransactionID: from,
      onTransaction: async (tx) => {
        await ledger.onStreamTransaction(tx);
        if (tx.type === "ORDER_FILL") void sync.refresh();
      },
    });
    stream.start();
    await waitUntil(() => stream.state.connected, { timeoutMs: 10_000, intervalMs: 10, message: "the rig's transaction stream did not connect within 10 s" });
    await ledger.idle();
    return { account, sync, market, gate, ledger, stream };
  };

  const rig: LedgerRig = {
    sim, client, journal, config, clock, alerts, p: await start(),
    advance: (ms) => {
      offset += ms;
    },
    refreshPrices: async () => {
      for (const t of await client.pricing(config.INSTRUMENTS)) rig.p.market.onTick({ ...t, receivedAt: clock.now() });
    },
    restart: async () => {
      stale.push(rig.p);
      await rig.p.stream.stop();
      rig.p = await start();
      return rig.p;
    },
    settleLedger: async () => {
      await rig.p.ledger.catchUp();
      await rig.p.ledger.idle();
    },
    close: async () => {
      for (const p of [...stale, rig.p]) await p.stream.stop();
      await rig.p.ledger.idle();
      await journal.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** Broker-side facts, read from the simulator's own ledger (not sekisho's). */
export function brokerFacts(sim: SimHandle) {
  const txs = sim.engine.transactions() as unknown as Array<Record<string, unknown>>;
  const fills = txs.filter((t) => t.type === "ORDER_FILL");
  return {
    /** Market orders the broker received per client id (an order sent twice shows 2). */
    ordersByClientId(): Map<string, number> {
      const m = new Map<string, number>();
      for (const t of txs) {
        const id = (t.clientExtensions as { id?: string } | undefined)?.id;
        if (t.type === "MARKET_ORDER" && id) m.set(id, (m.get(id) ?? 0) + 1);
      }
      return m;
    },
    fills,
    /** Net units of an instrument after every fill, in order (starting from `start`). */
    netPath(instrument: string, start = 0): number[] {
      const out: number[] = [];
      let net = start;
      for (const f of fills) {
        if (f.instrument !== instrument) continue;
        net += Number(f.units);
        out.push(net);
      }
      return out;
    },
  };
}

let signalSeq = 0;
/**
 * An operator signal on the rig's clock: buy 10,000 USD_JPY as an entry unless `p` says otherwise.
 * `prefix` keeps each file's signal ids apart in a shared journal's logs.
 */
export function operatorSignal(r: LedgerRig, prefix: string, p: Partial<Signal> = {}): Signal {
  return {
    id: `${prefix}-${Date.now()}-${++signalSeq}`, worker: "operator", strategy: "test", pocket: "macro", instrument: "USD_JPY", side: "buy",
    confidence: 50, proposedUnits: 10_000, reduceOnly: false, attachSlTp: false, createdAt: r.clock.now(), ttlMs: 60_000, ...p,
  };
}
