// Which client ids and signal ids the journal holds, kept in memory so the gate's duplicate check
// ("was this signal, or this client id, ever journaled?") costs no SQL on the order path: nearly
// every check is a miss, and a miss answered from memory is a Set lookup.
//
// The index is exact only in the process that is the journal's one writer (the agent, which opens
// the journal as its owner, or a private in-memory journal): it is loaded from every order row at
// open, so a restart sees every earlier id, and the orders repository adds each row it writes.
// Every write to `orders` goes through that repository. Readers (sekisho orders, backups) keep
// asking SQL, since another process writes their file.
//
// Memory: two strings per order row (about 150 bytes with the Set entries); a journal of 100,000
// orders holds ~15 MB here. Load time is measured in bench/journal-hotpath.bench.ts.
import type { SqlSession } from "./sql-port.ts";

/** Rows read per query while loading, so a large journal never materialises at once. */
const LOAD_PAGE = 5_000;

export class OrderIdIndex {
  readonly #clients = new Set<string>();
  readonly #signals = new Set<string>();

  /** Every client id and signal id of the journal's order rows. */
  static async load(session: SqlSession): Promise<OrderIdIndex> {
    const index = new OrderIdIndex();
    let after = 0;
    for (;;) {
      const page = await session.execute("SELECT id, client_id, signal_id FROM orders WHERE id > ? ORDER BY id LIMIT ?", [after, LOAD_PAGE]);
      for (const r of page.rows) index.add(String(r.client_id), String(r.signal_id));
      if (page.rows.length < LOAD_PAGE) return index;
      after = Number(page.rows[page.rows.length - 1]!.id);
    }
  }

  add(clientId: string, signalId: string): void {
    this.#clients.add(clientId);
    this.#signals.add(signalId);
  }

  hasClientId(clientId: string): boolean {
    return this.#clients.has(clientId);
  }

  hasSignalId(signalId: string): boolean {
    return this.#signals.has(signalId);
  }

  /** Order rows known (by distinct client id). */
  get size(): number {
    return this.#clients.size;
  }
}
