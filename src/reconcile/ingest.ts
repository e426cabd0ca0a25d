// The broker's ledger, mirrored: every transaction of the account is stored once (journal table
// `transactions`) and attributed to the journal row of the request that caused it.
//
// Two feeds, one path: the transaction stream delivers transactions as they happen, and a gap
// fill (GET transactions/sinceid from the persisted cursor) runs at start, when the stream skips
// an id, and periodically, so a stalled stream or a restart loses nothing. Both go through one
// queue, in id order; storing is idempotent by id and attribution is safe to repeat, so the same
// transaction from both feeds is harmless. The cursor only moves past a transaction once it is
// stored and attributed: a failure is retried by the next gap fill.
import type { Logger } from "../core/log.ts";
import type { Journal, LedgerTransaction, TransactionRow } from "../store/index.ts";
import { transactionColumns, transactionFromRow } from "../store/index.ts";
import type { Attributor } from "./attribution.ts";
import { errorMessage } from "../core/error-message.ts";

export type FetchSince = (sinceId: string, signal?: AbortSignal) => Promise<{ transactions: LedgerTransaction[]; lastTransactionID: string }>;

export interface LedgerIngestOptions {
  accountId: string;
  journal: Pick<Journal, "transactions">;
  attributor: Pick<Attributor, "onTransaction">;
  /** OandaClient.transactionsSinceId: every transaction after an id, all pages. */
  fetchSince: FetchSince;
  log: Logger;
  clock: { now(): number };
}

export interface LedgerState {
  /** Every transaction up to this id is stored and attributed. */
  cursor: number | null;
  /** Transactions stored by this process. */
  stored: number;
  lastCatchUpAt: number | null;
  lastError: string | null;
}

export class LedgerIngest {
  #chain: Promise<unknown> = Promise.resolve();
  #cursor: number | undefined;
  #stored = 0;
  #lastCatchUpAt: number | undefined;
  #lastError: string | undefined;

  constructor(private readonly o: LedgerIngestOptions) {}

  state(): LedgerState {
    return { cursor: this.#cursor ?? null, stored: this.#stored, lastCatchUpAt: this.#lastCatchUpAt ?? null, lastError: this.#lastError ?? null };
  }

  /**
   * Resume from the persisted cursor (or, on a journal's first start, from `baselineId`, the
   * account's lastTransactionID: the ledger begins there) and fill everything since. Returns the
   * cursor, the id the transaction stream should continue after.
   */
  async start(baselineId: string): Promise<string> {
    const saved = await this.o.journal.transactions.cursor(this.o.accountId);
    if (saved === undefined) {
      await this.o.journal.transactions.setCursor(this.o.accountId, baselineId);
      this.#cursor = Number(baselineId);
    } else {
      this.#cursor = saved;
    }
    await this.catchUp();
    return String(this.#cursor);
  }

  /** Fill the ledger from the cursor to the broker's last transaction (sinceid). */
  catchUp(signal?: AbortSignal): Promise<void> {
    return this.#queue(async () => {
      if (this.#cursor === undefined) return;
      try {
        const r = await this.o.fetchSince(String(this.#cursor), signal);
        for (const tx of r.transactions) if (!(await this.#ingest(tx))) return;
        const last = Number(r.lastTransactionID);
        // Everything up to the broker's last id was in that answer: the ledger is complete to it.
        if (Number.isSafeInteger(last) && last > (this.#cursor ?? 0)) await this.#advance(last);
        this.#lastCatchUpAt = this.o.clock.now();
        this.#lastError = undefined;
      } catch (e) {
        this.#lastError = errorMessage(e);
        this.o.log.warn({ event: "ledger_catch_up_failed", err: this.#lastError, cursor: this.#cursor }, "could not read the broker's transactions; retrying later");
      }
    });
  }

  /** One transaction from the stream (the stream itself delivers in id order, gaps filled). */
  onStreamTransaction(tx: LedgerTransaction): Promise<void> {
    return this.#queue(async () => {
      const id = Number(tx.id);
      if (this.#cursor !== undefined && id > this.#cursor + 1) {
        // An id was skipped: read the gap first so the cursor never passes a missing transaction.
        try {
          const r = await this.o.fetchSince(String(this.#cursor));
          for (const t of r.transactions) if (Number(t.id) < id && !(await this.#ingest(t))) return;
        } catch (e) {
          this.#lastError = errorMessage(e);
          this.o.log.warn({ event: "ledger_gap_fill_failed", err: this.#lastError, cursor: this.#cursor });
        }
      }
      await this.#ingest(tx);
    });
  }

  /** Wait for everything queued so far. */
  idle(): Promise<void> {
    return this.#queue(() => Promise.resolve());
  }

  #queue(fn: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(fn);
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Store and attribute one transaction; the cursor moves past it only if nothing failed. */
  async #ingest(tx: LedgerTransaction): Promise<boolean> {
    const id = Number(tx.id);
    try {
      const fresh = await this.o.journal.transactions.append(this.o.accountId, [tx]);
      this.#stored += fresh.length;
      const row: TransactionRow = fresh[0] ?? transactionFromRow(transactionColumns(this.o.accountId, tx, ""));
      await this.o.attributor.onTransaction(row, fresh.length > 0);
    } catch (e) {
      this.#lastError = errorMessage(e);
      this.o.log.error({ event: "ledger_ingest_failed", transactionId: tx.id, err: this.#lastError }, "could not store or attribute a transaction; the next gap fill retries it");
      return false;
    }
    if (this.#cursor !== undefined && id === this.#cursor + 1) await this.#advance(id);
    return true;
  }

  async #advance(id: number): Promise<void> {
    await this.o.journal.transactions.setCursor(this.o.accountId, id);
    this.#cursor = Math.max(this.#cursor ?? 0, id);
  }
}
