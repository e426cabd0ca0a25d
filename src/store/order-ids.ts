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
// orders holds ~15 MB here. Load time: bench/journal-open.bench.ts (100,000 rows: 0.4-2 s on the
// shared 2-core build machine at a load average of 20, where everything ran ~10x slow).
import type { SqlSession } from "./sql-port.ts";

/** Ids read per query while loading, so a large journal never materialises at once. */
const LOAD_PAGE = 20_000;

/**
 * One page of a column's distinct values above `after`, read from the column's index (covering:
 * the table itself is not read) as one JSON array: libSQL hands rows to JavaScript one by one at
 * ~10 µs each on a busy machine, one string of 20,000 ids costs a fraction of that.
 */
const PAGE_SQL = {
  client_id: "SELECT json_group_array(v) AS ids, max(v) AS last, count(*) AS n FROM (SELECT client_id AS v FROM orders WHERE client_id > ? ORDER BY client_id LIMIT ?)",
  signal_id: "SELECT json_group_array(v) AS ids, max(v) AS last, count(*) AS n FROM (SELECT signal_id AS v FROM orders WHERE signal_id > ? ORDER BY signal_id LIMIT ?)",
} as const;

export class OrderIdIndex {
  readonly #clients = new Set<string>();
  readonly #signals = new Set<string>();

  /** Every client id and signal id of the journal's order rows. */
  static async load(session: SqlSession): Promise<OrderIdIndex> {
    const index = new OrderIdIndex();
    for (const [column, into] of [["client_id", index.#clients], ["signal_id", index.#signals]] as const) {
      // Ids are never empty (the repository refuses an empty one), so "" is below every id.
      let after = "";
      for (;;) {
        const r = (await session.execute(PAGE_SQL[column], [after, LOAD_PAGE])).rows[0]!;
        for (const id of JSON.parse(String(r.ids)) as string[]) into.add(id);
        if (Number(r.n) < LOAD_PAGE) break;
        after = String(r.last);
      }
    }
    return index;
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
