// The journal a replay writes to: the gate's journal port kept in memory. A replay's journal is
// thrown away at the end and nothing reads it but the gate (duplicate checks, lookups of its own
// rows), yet through SQLite it cost half of a month's replay time and most of its memory (a
// statement prepared per query, native memory the JS heap limit does not see).
// The rules are the store's own (src/store): intent once per client id, status moves forward
// only, the order id claimed once, every row read back as the store reads it; the store's own
// checks and helpers (intent and patch validation, lifecycle, JSON text, timestamps) are used. A test runs the
// same calls against this and the SQLite journal and compares every answer.
// Decisions are validated as the store validates them and counted, not kept: no one reads them.
import type { OrderStatus } from "../core/orders.ts";
import type { Clock } from "../core/types.ts";
import type { NewDecision, NewOrderIntent, OrderPatch } from "../core/journal-records.ts";
import type { JournalPort } from "../kernel/ports.ts";
import { statusesBefore, UNSETTLED_STATUSES } from "../store/lifecycle.ts";
import { JournalInputError } from "../store/input-error.ts";
import { intentRow } from "../store/intent-row.ts";
import { checkStatus, patchColumns } from "../store/order-columns.ts";
import { isoNow, normaliseIso } from "../store/time.ts";
import type { OrderRow } from "../store/types.ts";

const TIMESTAMP: Record<OrderStatus, keyof OrderRow> = {
  intent: "intentAt", submitted: "submittedAt", unknown: "unknownAt", filled: "filledAt", cancelled: "cancelledAt", rejected: "rejectedAt", reconciled: "reconciledAt",
};

export class MemoryJournal implements JournalPort {
  readonly #rows: OrderRow[] = [];
  #lastId = 0;
  readonly #byClientId = new Map<string, OrderRow>();
  readonly #bySignalId = new Map<string, OrderRow[]>();
  readonly #byOrderId = new Map<string, OrderRow>();

  constructor(private readonly clock: Clock) {}

  readonly orders = {
    insertIntent: async (o: NewOrderIntent, status: "intent" | "submitted" = "intent"): Promise<OrderRow> => {
      // Built (and checked) before the id is taken, as the store checks before it inserts.
      const built = intentRow(o, status, isoNow(this.clock), undefined);
      // The store's table takes an id for every insert it tries, even one its client id refuses.
      const id = ++this.#lastId;
      // Idempotent on the client id: a retried intent keeps the first row intact.
      if (!this.#byClientId.has(o.clientId)) {
        const row: OrderRow = { ...built, id };
        this.#rows.push(row);
        this.#byClientId.set(row.clientId, row);
        const same = this.#bySignalId.get(row.signalId);
        if (same) same.push(row);
        else this.#bySignalId.set(row.signalId, [row]);
      }
      return { ...this.#byClientId.get(o.clientId)! };
    },

    advance: async (clientId: string, to: OrderStatus, patch?: OrderPatch): Promise<OrderRow | undefined> => {
      checkStatus(to);
      const row = this.#byClientId.get(clientId);
      if (row && statusesBefore(to).includes(row.status)) {
        const columns = patchFields(patch);
        const now = isoNow(this.clock);
        Object.assign(row, columns, { status: to, [TIMESTAMP[to]]: now, updatedAt: now });
        if (columns.oandaOrderId !== undefined) this.#indexOrderId(row);
      }
      return row && { ...row };
    },

    findByClientId: async (clientId: string): Promise<OrderRow | undefined> => {
      const row = this.#byClientId.get(clientId);
      return row && { ...row };
    },

    findBySignalId: async (signalId: string): Promise<OrderRow[]> => (this.#bySignalId.get(signalId) ?? []).map((r) => ({ ...r })),

    findByOandaOrderId: async (orderId: string): Promise<OrderRow | undefined> => {
      let row = this.#byOrderId.get(orderId);
      // A later patch may have renamed the indexed row's order: then the first row by id that has it.
      if (row && row.oandaOrderId !== orderId) row = this.#rows.find((r) => r.oandaOrderId === orderId);
      return row && { ...row };
    },

    claimOandaOrderId: async (clientId: string, orderId: string): Promise<boolean> => {
      const row = this.#byClientId.get(clientId);
      if (!row || row.oandaOrderId !== null) return false;
      row.oandaOrderId = orderId;
      row.updatedAt = isoNow(this.clock);
      this.#indexOrderId(row);
      return true;
    },

    unsettled: async (): Promise<OrderRow[]> => this.#rows.filter((r) => UNSETTLED_STATUSES.includes(r.status)).map((r) => ({ ...r })),
  };

  readonly decisions = {
    insert: async (d: NewDecision): Promise<void> => {
      if (!["accepted", "skipped", "error"].includes(d.outcome)) {
        throw new JournalInputError(`outcome must be accepted, skipped or error (got ${String(d.outcome)})`);
      }
      if (d.ts !== undefined && normaliseIso(d.ts) === undefined) throw new JournalInputError(`ts must be an ISO-8601 time (got ${d.ts})`);
      if (d.units !== undefined && !Number.isFinite(d.units)) throw new JournalInputError(`units must be a finite number (got ${d.units})`);
    },
  };

  /** Nothing to release (the run's shape stays the one it has with the store's journal). */
  async close(): Promise<void> {}

  /** The first row (lowest id) that names a broker order keeps it, as the store's ORDER BY id finds it. */
  #indexOrderId(row: OrderRow): void {
    const id = row.oandaOrderId!;
    const held = this.#byOrderId.get(id);
    if (!held || held.oandaOrderId !== id || held.id > row.id) this.#byOrderId.set(id, row);
  }
}

/** The store's patch (its column names) as the row's fields: request_json -> requestJson, ... */
function patchFields(p: OrderPatch | undefined): Partial<OrderRow> {
  const out: Record<string, unknown> = {};
  for (const [column, v] of Object.entries(patchColumns(p))) out[column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out as Partial<OrderRow>;
}
