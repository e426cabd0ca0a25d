// The ledger as `sekisho trades` and `sekisho pnl` see it: the account's transactions and the
// order journal, local or from the replica, derived into trades (src/ledger).
import { deriveLedger, type Ledger, originLookup } from "../../ledger/index.ts";
import { LedgerScopeError, type LedgerSource, readLedgerSource } from "../../store/ledger-source.ts";
import { CliError, EXIT_USAGE } from "../errors.ts";
import { type JournalAccessOptions, withJournalDb } from "./journal-access.ts";

export async function readLedger(opts: JournalAccessOptions, scope: { accountId?: string; mode?: string }): Promise<{ source: LedgerSource; ledger: Ledger }> {
  const empty: LedgerSource = { transactions: [], origins: [] };
  const source = await withJournalDb(opts, async (db) => {
    try {
      return await readLedgerSource(db, scope);
    } catch (e) {
      if (e instanceof LedgerScopeError) throw new CliError(e.message, EXIT_USAGE);
      throw e;
    }
  }, empty);
  return { source, ledger: deriveLedger(source.transactions, originLookup(source.origins)) };
}

export const money = (x: number | null) => (x === null ? "-" : x.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 4 }));
export const when = (iso: string | null) => (iso === null ? "-" : iso.replace("T", " ").replace(/\.\d{3}Z$/, ""));
