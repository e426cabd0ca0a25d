// Importing the account's history from before the ledger began. On a journal's first start the
// ledger begins at the account's last transaction (its cursor); earlier transactions, the trades
// opened before sekisho ran and their P/L, can be read afterwards with `sekisho ledger import`.
//
// Only transactions up to the cursor are stored: everything after it belongs to the running
// agent's ingest, which stores *and attributes* each one (a fill settles its journal row). Storing
// one of those here first would take that attribution away. Below the cursor nothing is
// attributed anyway (the ingest never saw those ids), and storing is idempotent by id, so an
// import can be repeated, or run while the agent runs.
import { NamedError } from "../core/named-error.ts";
import type { Journal } from "../store/index.ts";
import type { FetchSince } from "./ingest.ts";

export interface ImportResult {
  /** The ledger's cursor: the import stops there. */
  cursor: number;
  /** Transactions read from the broker in [from, cursor]. */
  read: number;
  /** Of those, how many were new to the journal. */
  stored: number;
  firstId: number | null;
  lastId: number | null;
}

export class LedgerImportError extends NamedError {
  constructor(message: string) {
    super("LedgerImportError", message);
  }
}

export async function importLedgerHistory(o: { journal: Pick<Journal, "transactions">; accountId: string; from: number; fetchSince: FetchSince }): Promise<ImportResult> {
  const cursor = await o.journal.transactions.cursor(o.accountId);
  if (cursor === undefined) {
    throw new LedgerImportError(`the journal has no ledger of account ${o.accountId} yet: start the agent on it once, then import what came before`);
  }
  if (o.from > cursor) return { cursor, read: 0, stored: 0, firstId: null, lastId: null };
  const { transactions } = await o.fetchSince(String(o.from - 1));
  const wanted = transactions.filter((t) => Number(t.id) >= o.from && Number(t.id) <= cursor);
  const fresh = await o.journal.transactions.append(o.accountId, wanted);
  const ids = wanted.map((t) => Number(t.id));
  return { cursor, read: wanted.length, stored: fresh.length, firstId: ids.length ? Math.min(...ids) : null, lastId: ids.length ? Math.max(...ids) : null };
}
