// Shared pieces of the replica tests: fixtures for orders and readers for both sides.
import { Kysely } from "kysely";
import type { Journal, JournalDB, NewOrderIntent } from "../../src/store/index.ts";
import { SqlPortDialect } from "../../src/store/kysely-dialect.ts";
import { tursoPort } from "../../src/store/turso-port.ts";
import { openAttachedReplica } from "../../src/replica/replica-db.ts";
import { REPLICATED_TABLES } from "../../src/store/tables.ts";

function quoted(x: number, decimals: number): number {
  return Number(x.toFixed(decimals));
}

export function orderIntent(i: number, prefix = "sig"): NewOrderIntent {
  return {
    clientId: `sk-${prefix}-${i}`,
    signalId: `${prefix}-${i}`,
    worker: ["fast_scalp", "micro_multistrat", "hedge_balancer"][i % 3]!,
    strategy: ["tick_momentum", "range_break", "hedge"][i % 3]!,
    pocket: ["scalp_fast", "micro", "macro"][i % 3]!,
    instrument: i % 2 === 0 ? "USD_JPY" : "EUR_USD",
    side: i % 5 === 0 ? "sell" : "buy",
    requestedUnits: 1000 + i,
    reduceOnly: i % 3 === 2,
    positionFill: i % 3 === 2 ? "REDUCE_ONLY" : "OPEN_ONLY",
    // Prices as a broker quotes them (parsed from "157.123"), not float arithmetic noise: see
    // docs/journal.md on REAL precision through Turso sync.
    priceBound: quoted(157 + i / 1000, 3),
    requestJson: { order: { units: String(1000 + i), instrument: i % 2 === 0 ? "USD_JPY" : "EUR_USD" } },
  };
}

/** Write an order and move it along a life cycle that depends on i. */
export async function writeOrder(j: Journal, i: number, prefix = "sig"): Promise<void> {
  const o = orderIntent(i, prefix);
  await j.orders.insertIntent(o);
  if (i % 7 === 0) return; // stays an intent
  await j.orders.advance(o.clientId, "submitted");
  if (i % 11 === 0) { await j.orders.advance(o.clientId, "unknown", { error: "timeout" }); return; }
  if (i % 13 === 0) { await j.orders.advance(o.clientId, "rejected", { rejectReason: "INSUFFICIENT_MARGIN", errorCode: "INSUFFICIENT_MARGIN" }); return; }
  await j.orders.advance(o.clientId, "filled", { filledUnits: o.requestedUnits, fillPrice: quoted(157.2 + i / 10_000, 4), oandaOrderId: String(10_000 + i), oandaTradeId: String(10_001 + i), oandaTransactionId: String(10_001 + i) });
}

export type TableDump = Record<string, Record<string, unknown>[]>;

async function dump(db: Kysely<JournalDB>): Promise<TableDump> {
  const out: TableDump = {};
  const any = db as unknown as Kysely<Record<string, { id: number }>>;
  for (const t of REPLICATED_TABLES) out[t] = (await any.selectFrom(t).selectAll().orderBy("id").execute()) as Record<string, unknown>[];
  return out;
}

export function dumpJournal(j: Journal): Promise<TableDump> {
  return dump(j.db);
}

/** Every row of the replica after pulling it from the server into `path`, journal_id included. */
export async function pullReplicaRows(path: string, url: string): Promise<TableDump> {
  const db = await openAttachedReplica({ path, url, authToken: "any-token", clientName: "test-reader" });
  try {
    await db.pull();
    const k = new Kysely<JournalDB>({ dialect: new SqlPortDialect(tursoPort(db), false) });
    return await dump(k);
  } finally {
    await db.close();
  }
}

/** One journal's rows as a second client sees them after a pull, without the replica's journal_id column. */
export function journalRows(all: TableDump, journalId?: string): TableDump {
  const out: TableDump = {};
  for (const [t, rows] of Object.entries(all)) {
    out[t] = rows.filter((r) => journalId === undefined || r.journal_id === journalId).map(({ journal_id: _, ...rest }) => rest);
  }
  return out;
}

/** What a second client sees of the (single) journal in the replica after a pull. */
export async function pullReplica(path: string, url: string): Promise<TableDump> {
  return journalRows(await pullReplicaRows(path, url));
}
