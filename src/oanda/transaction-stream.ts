// GET {stream}/v3/accounts/{id}/transactions/stream: every account transaction (fills,
// cancels, TP/SL triggers, closeouts) as it happens. A stream can drop at any moment, so after
// every (re)connect the gap is filled with GET transactions/sinceid from the last ID seen, and
// a heartbeat announcing a lastTransactionID beyond it, or a jump in IDs, triggers the same fill. OANDA transaction
// IDs increase strictly, so "deliver only IDs above the last delivered" is both the de-duplication
// and the ordering rule: no fill is missed and none is delivered twice.
import { ResilientStream, type StreamCommonOptions, type StreamState, type LineKind } from "./resilient-stream.ts";
import { transactionStreamLine, type Transaction } from "./schemas.ts";
import { errorMessage } from "../core/error-message.ts";

export interface TransactionStreamState extends StreamState {
  /** Highest transaction ID delivered (or the baseline), as a string like OANDA's. */
  lastTransactionID?: string;
  /** Transactions delivered that came from sinceid gap fills, not the stream. */
  gapFilled: number;
  /** Lines dropped because their ID was already delivered. */
  duplicatesDropped: number;
}

export type GapFill = (sinceId: string, signal: AbortSignal) => Promise<{ transactions: Transaction[]; lastTransactionID: string }>;

export interface TransactionStreamOptions extends StreamCommonOptions {
  /**
   * Called once per transaction, in ID order, awaited before the next. Throwing does not stop the
   * stream, and the transaction still counts as delivered (log and handle it in the callback).
   */
  onTransaction: (tx: Transaction) => void | Promise<void>;
  /** Start after this ID (e.g. the account snapshot's lastTransactionID): the first connect fills from it. */
  lastTransactionID?: string;
  /** Reads transactions after an ID; OandaClient.transactionStream wires transactionsSinceId. */
  gapFill: GapFill;
}

export class TransactionStream {
  readonly #core: ResilientStream;
  readonly state: TransactionStreamState;
  #last: bigint | undefined;

  constructor(private readonly o: TransactionStreamOptions) {
    this.#last = o.lastTransactionID !== undefined ? toBig(o.lastTransactionID) : undefined;
    this.#core = new ResilientStream("transactions", o, {
      path: () => `/v3/accounts/${encodeURIComponent(o.accountId)}/transactions/stream`,
      handleLine: (line, signal) => this.#line(line, signal),
      onConnected: (signal) => this.#fillGap(signal),
    });
    this.state = Object.assign(this.#core.state, { lastTransactionID: o.lastTransactionID, gapFilled: 0, duplicatesDropped: 0 }) as TransactionStreamState;
  }

  start(): void {
    this.#core.start();
  }

  stop(): Promise<void> {
    return this.#core.stop();
  }

  async #fillGap(signal: AbortSignal): Promise<void> {
    if (this.#last === undefined) return; // nothing to fill from yet: the first heartbeat sets the baseline
    const r = await this.o.gapFill(this.#last.toString(), signal);
    for (const tx of r.transactions) {
      if (await this.#deliver(tx)) this.state.gapFilled++;
    }
  }

  /** Deliver if new. Returns whether it was delivered. */
  async #deliver(tx: Transaction): Promise<boolean> {
    const n = toBig(tx.id);
    if (n === undefined) return false;
    if (this.#last !== undefined && n <= this.#last) {
      this.state.duplicatesDropped++;
      return false;
    }
    this.#last = n;
    this.state.lastTransactionID = tx.id;
    try {
      await this.o.onTransaction(tx);
    } catch (e) {
      this.#core.malformed("handler_error", errorMessage(e));
    }
    return true;
  }

  async #line(line: string, signal: AbortSignal): Promise<LineKind> {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return { malformed: "invalid_json", detail: line };
    }
    const r = transactionStreamLine.safeParse(json);
    if (!r.success) {
      const type = (json as { type?: unknown })?.type;
      return { malformed: typeof type === "string" ? `invalid_${type}` : "unknown_type", detail: r.error.issues[0]?.message };
    }
    const m = r.data;
    if (m.type === "HEARTBEAT" && !("id" in m)) {
      const hbLast = m.lastTransactionID !== undefined ? toBig(m.lastTransactionID) : undefined;
      if (hbLast !== undefined) {
        if (this.#last === undefined) {
          this.#last = hbLast; // baseline: everything up to here happened before we listened
          this.state.lastTransactionID = hbLast.toString();
        } else if (hbLast > this.#last) {
          await this.#fillGap(signal); // the broker has transactions we never saw
        }
      }
      return "heartbeat";
    }
    const n = toBig((m as Transaction).id);
    if (n === undefined) return { malformed: "bad_transaction_id", detail: line };
    // OANDA numbers an account's transactions consecutively: a jump means something was not
    // carried to us, so read the gap (this transaction included) before delivering anything newer.
    if (this.#last !== undefined && n > this.#last + 1n) await this.#fillGap(signal);
    await this.#deliver(m as Transaction);
    return "message";
  }
}

function toBig(id: string): bigint | undefined {
  return /^\d+$/.test(id) ? BigInt(id) : undefined;
}
