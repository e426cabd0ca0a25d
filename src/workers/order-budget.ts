// An entry worker's trade-frequency budget: how many of its orders were placed in the last
// minute, hour and day (sliding windows on the worker's clock), and whether one more would go
// over a limit. Each worker keeps one and is told of every order the gate placed for it
// (notifyOrder), so the count is of orders sent, not of signals wished for. A restart need not
// reset it: a worker's constructor takes its filled orders of the last day (`pastOrders`), read
// from the journal through a read port (`PastOrdersReader`).

const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface OrderCounts {
  minute: number;
  hour: number;
  day: number;
}

export interface BudgetLimits {
  /** Undefined = no per-minute limit. */
  perMinute?: number;
  perHour: number;
  perDay: number;
}

export interface BudgetBreach {
  window: "minute" | "hour" | "day";
  orders: number;
  limit: number;
}

/** An order the gate placed (filled) for a worker, as the journal remembers it. */
export interface PlacedOrder {
  instrument: string;
  /** Fill time, epoch ms. */
  at: number;
}

/** The journal's read port: a worker's filled orders at or after `since` (epoch ms). */
export type PastOrdersReader = (worker: string, since: number) => Promise<PlacedOrder[]>;

/** A worker's orders of the last day (everything the hour and day windows can still count). */
export function pastDayOrders(read: PastOrdersReader, worker: string, now: number): Promise<PlacedOrder[]> {
  return read(worker, now - DAY_MS);
}

export class OrderBudget {
  #times: number[] = [];

  /** Orders placed before this budget existed (the journal's, at start), in any order. */
  constructor(past: readonly PlacedOrder[] = []) {
    this.#times = past.map((o) => o.at).sort((a, b) => a - b);
  }

  record(now: number): void {
    this.#times.push(now);
  }

  counts(now: number): OrderCounts {
    // Only a day's worth is ever needed.
    let drop = 0;
    while (drop < this.#times.length && now - this.#times[drop]! >= DAY_MS) drop++;
    if (drop > 0) this.#times = this.#times.slice(drop);
    let minute = 0, hour = 0;
    for (const t of this.#times) {
      if (now - t < HOUR_MS) hour++;
      if (now - t < MINUTE_MS) minute++;
    }
    return { minute, hour, day: this.#times.length };
  }
}

/** The first window (minute, hour, day) already at its limit, so one more order would exceed it. */
export function budgetBreach(c: OrderCounts, l: BudgetLimits): BudgetBreach | undefined {
  if (l.perMinute !== undefined && c.minute >= l.perMinute) return { window: "minute", orders: c.minute, limit: l.perMinute };
  if (c.hour >= l.perHour) return { window: "hour", orders: c.hour, limit: l.perHour };
  if (c.day >= l.perDay) return { window: "day", orders: c.day, limit: l.perDay };
  return undefined;
}
