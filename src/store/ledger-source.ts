// What trades and P/L are derived from (src/ledger): the account's transactions from the
// broker's ledger, the order journal's rows (pocket, strategy, worker, reduce-only of each order)
// and the latest account snapshot (unrealized P/L per instrument). Works on the journal and on a
// pulled Turso replica alike, so `sekisho trades --remote` and the local command agree.
import { type Kysely, sql } from "kysely";
import type { OandaTransaction, OrderOrigin } from "../ledger/types.ts";
import type { JournalDB } from "./tables.ts";

export interface LedgerScope {
  accountId?: string;
  mode?: string;
}

export interface LedgerSource {
  /** The account the figures are for (undefined: the journal holds no transactions yet). */
  accountId?: string;
  transactions: OandaTransaction[];
  origins: OrderOrigin[];
  /** Unrealized P/L per instrument as of the latest account snapshot of the account. */
  snapshot?: { ts: string; unrealizedByInstrument: Map<string, number> };
}

/** The journal holds several accounts and the caller did not say which (or the one named is not there). */
export class LedgerScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerScopeError";
  }
}

async function hasTable(db: Kysely<JournalDB>, name: string): Promise<boolean> {
  const r = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ${name}`.execute(db);
  return r.rows.length > 0;
}

/** Pick the one account the figures are about: asked for, implied by the mode, or the only one. */
async function resolveAccount(db: Kysely<JournalDB>, scope: LedgerScope): Promise<string | undefined> {
  const present = (await db.selectFrom("transactions").select("account_id").distinct().orderBy("account_id").execute()).map((r) => r.account_id);
  let candidates = present;
  if (scope.mode !== undefined) {
    const inMode = (await hasTable(db, "journal_accounts"))
      ? (await db.selectFrom("journal_accounts").select("account_id").where("mode", "=", scope.mode).execute()).map((r) => r.account_id)
      : [];
    candidates = candidates.filter((a) => inMode.includes(a));
  }
  if (scope.accountId !== undefined) {
    const id = scope.accountId;
    if (candidates.includes(id) || present.length === 0) return id;
    if (present.includes(id)) throw new LedgerScopeError(`account ${id} is not a ${scope.mode} account in this journal`);
    throw new LedgerScopeError(`no transactions of account ${id} in this journal (it has ${present.join(", ")})`);
  }
  if (candidates.length > 1) throw new LedgerScopeError(`the journal holds ${candidates.length} accounts (${candidates.join(", ")}); choose one with --account`);
  if (candidates.length === 0 && scope.mode !== undefined && present.length > 0) throw new LedgerScopeError(`no ${scope.mode} account in this journal`);
  return candidates[0];
}

export async function readLedgerSource(db: Kysely<JournalDB>, scope: LedgerScope = {}): Promise<LedgerSource> {
  if (!(await hasTable(db, "transactions"))) return { transactions: [], origins: [] };
  const accountId = await resolveAccount(db, scope);
  if (accountId === undefined) return { transactions: [], origins: [] };
  // In a Turso database shared by agents on one account a transaction appears once per journal;
  // deriveLedger counts each OANDA id once.
  const rows = await db.selectFrom("transactions").select(["id", "type", "time", "raw_json"]).where("account_id", "=", accountId).orderBy("id", "asc").execute();
  const transactions = rows.map((r): OandaTransaction => {
    try {
      return JSON.parse(r.raw_json) as OandaTransaction;
    } catch {
      return { id: String(r.id), type: r.type, time: r.time };
    }
  });
  const orders = await db.selectFrom("orders")
    .select(["client_id", "signal_id", "worker", "strategy", "pocket", "reduce_only", "position_fill", "oanda_order_id"])
    .execute();
  const origins = orders.map((o): OrderOrigin => ({
    clientId: o.client_id, signalId: o.signal_id, worker: o.worker, strategy: o.strategy, pocket: o.pocket,
    reduceOnly: Number(o.reduce_only) === 1, positionFill: o.position_fill, oandaOrderId: o.oanda_order_id,
  }));
  // By time, not id: in a shared replica ids are per journal.
  const snap = await db.selectFrom("account_snapshots").select(["ts", "positions_json"]).where("account_id", "=", accountId)
    .orderBy("ts", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
  let snapshot: LedgerSource["snapshot"];
  if (snap) {
    const unrealizedByInstrument = new Map<string, number>();
    try {
      for (const p of JSON.parse(snap.positions_json) as { instrument?: string; unrealizedPL?: number }[]) {
        if (p.instrument && typeof p.unrealizedPL === "number") unrealizedByInstrument.set(p.instrument, p.unrealizedPL);
      }
    } catch {
      // an unreadable snapshot has no figures to give
    }
    snapshot = { ts: snap.ts, unrealizedByInstrument };
  }
  return { accountId, transactions, origins, snapshot };
}
