// A real trading core on loopback: the simulator (OANDA wire protocol), the real OANDA client,
// a real journal in a temp directory, and the kernel's node on them (market and account state,
// the gate; no streams, no timers: a test drives it). No mocks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.ts";
import type { Config } from "../../src/config/schema.ts";
import { InstrumentTable } from "../../src/core/instruments.ts";
import { silentLogger } from "../../src/core/log.ts";
import type { Signal } from "../../src/core/types.ts";
import { wallClock } from "../../src/core/types.ts";
import { OandaClient } from "../../src/oanda/index.ts";
import { parseScenario, startSimulator, type SimHandle } from "../../src/sim/index.ts";
import { openJournal, type Journal } from "../../src/store/index.ts";
import type { AccountState } from "../../src/state/account-state.ts";
import type { MarketState } from "../../src/state/market-state.ts";
import { Gate } from "../../src/gate/gate.ts";
import type { AccountSync } from "../../src/kernel/account-sync.ts";
import { createKernel, type Kernel, type KernelHooks } from "../../src/kernel/kernel.ts";
import { delay } from "./wait.ts";

export interface Rig {
  sim: SimHandle;
  client: OandaClient;
  journal: Journal;
  config: Config;
  instruments: InstrumentTable;
  market: MarketState;
  account: AccountState;
  sync: AccountSync;
  gate: Gate;
  kernel: Kernel;
  dbPath: string;
  /** Pull a fresh price snapshot into market state (receivedAt = now). */
  refreshPrices(): Promise<void>;
  /** A fresh gate on the same state, journal and broker, started (its start-up reconciliation run), as after a restart. */
  restartGate(): Promise<Gate>;
  close(): Promise<void>;
}

export async function startRig(opts: { scenario?: unknown; env?: Record<string, string>; dir?: string; hooks?: KernelHooks } = {}): Promise<Rig> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "sekisho-rig-"));
  const dbPath = join(dir, "orders.db");
  const { config } = parseConfig({ DB_PATH: dbPath, LOG_LEVEL: "silent", ORDER_TIMEOUT_MS: "1500", ...opts.env });
  // On the wall clock: OANDA's daily maintenance window (no fills) would fail a run at 17:00 New York.
  const sim = await startSimulator({ scenario: parseScenario({ maintenance: false, ...((opts.scenario ?? {}) as object) }), port: 0 });
  const instruments = new InstrumentTable();
  const client = new OandaClient({ restUrl: sim.restUrl, streamUrl: sim.streamUrl, token: sim.token, accountId: sim.accountId, instruments, timeoutMs: 5000 });
  // Opened as the agent opens it: its one writer (the in-memory id index, the intent log).
  const journal = await openJournal({ path: dbPath, owner: true });
  const kernel = await createKernel({
    config, clock: wallClock, venue: client, journal, log: silentLogger, instruments, instrumentNames: config.INSTRUMENTS, venueName: "the simulator",
    enforceMarketHours: false, sleep: (ms) => delay(Math.min(ms, 50)),
    refreshAfterSettle: "background",
    hooks: opts.hooks,
  });
  const { market, account, accountSync: sync } = kernel;
  const refreshPrices = async () => {
    for (const t of await client.pricing(config.INSTRUMENTS)) market.onTick({ ...t, receivedAt: Date.now() });
  };
  const makeGate = async () => {
    const { clock, closeoutGuard } = kernel;
    const g = new Gate({ config, clock, instruments, account, prices: market, broker: client, journal, log: silentLogger, closeoutGuard, enforceMarketHours: false, sleep: (ms) => delay(Math.min(ms, 50)) });
    await g.start();
    return g;
  };
  const gate = kernel.gate;
  await gate.start();
  return {
    sim, client, journal, config, instruments, market, account, sync, gate, kernel, dbPath, refreshPrices,
    restartGate: makeGate,
    close: async () => {
      await journal.close();
      await sim.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
export function entry(p: Partial<Signal> = {}): Signal {
  return {
    id: `t-${Date.now()}-${++seq}`, worker: "operator", strategy: "test", pocket: "macro", instrument: "USD_JPY", side: "buy",
    confidence: 50, proposedUnits: 10_000, reduceOnly: false, attachSlTp: false, createdAt: Date.now(), ttlMs: 30_000, ...p,
  };
}

/** A JPY account (NAV 500,000) with USD_JPY at 155 and the given positions. */
/** Positions are sekisho's own (macro pocket) unless `tag: null` makes them manual. */
export function jpyScenario(o: { marginModel?: "net" | "max_side"; positions?: Array<{ long: number; short: number; price?: number; tag?: string | null }>; balance?: number; bid?: number; ask?: number } = {}) {
  const bid = o.bid ?? 154.998;
  const ask = o.ask ?? 155.002;
  return {
    account: { currency: "JPY", balance: o.balance ?? 500_000, marginRate: 0.04, hedgingEnabled: true, marginModel: o.marginModel ?? "net" },
    instruments: { USD_JPY: { bid, ask } },
    positions: (o.positions ?? []).map((p) => ({
      instrument: "USD_JPY", long: p.long, short: p.short, price: p.price ?? 155,
      ...(p.tag === null ? {} : { tag: p.tag ?? "sekisho:macro:seed" }),
    })),
    ticks: { source: "fixed" },
  };
}
