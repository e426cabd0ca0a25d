// The duplicate check: a signal id the journal already has an order for was decided before (a
// replayed signal, a restart), and never gets a second request, whatever became of the first.
import { signalClientIds } from "../core/client-id.ts";
import type { JournalOrderRow, OrderJournal } from "../execution/ports.ts";

/**
 * True when the journal proves from memory that this signal has no earlier order (the usual
 * case: a new signal): then earlierOrder need not be awaited, and nothing yields between the
 * gate's decision and the order's write. False means: ask earlierOrder.
 */
export function knownNoEarlierOrder(orders: Pick<OrderJournal, "provesAbsent">, signalId: string): boolean {
  return orders.provesAbsent?.(signalId, signalClientIds(signalId)) === true;
}

/**
 * The first order this signal produced, if any. The signal id keys every row execution writes
 * (an entry, each trade close, each side of a position close). A row the ledger adopted for an
 * order whose journal row was lost may not know its signal id (its client id was folded to fit),
 * so the client ids the signal's orders carry at the broker are asked too.
 */
export async function earlierOrder(orders: Pick<OrderJournal, "findBySignalId" | "findByClientId">, signalId: string): Promise<JournalOrderRow | undefined> {
  const bySignal = (await orders.findBySignalId(signalId))[0];
  if (bySignal) return bySignal;
  for (const clientId of signalClientIds(signalId)) {
    const row = await orders.findByClientId(clientId);
    if (row) return row;
  }
  return undefined;
}
