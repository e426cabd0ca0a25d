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
  /** Order times; the live ones are #times[#head..]. */
  #times: number[] = [];
  #head = 0;
  /** Whether the live times are in order (they are unless the clock stepped back). */
  #sorted = true;

  /** Orders placed before this budget existed (the journal's, at start), in any order. */
  constructor(past: readonly PlacedOrder[] = []) {
    this.#times = past.map((o) => o.at).sort((a, b) => a - b);
  }

  record(now: number): void {
    const n = this.#times.length;
    if (n > this.#head && now < this.#times[n - 1]!) this.#sorted = false;
    this.#times.push(now);
  }

  /**
   * Orders in the last minute, hour and day. fast_scalp asks on every tick: with the times in
   * order the two windows' starts are found by binary search (a scan of a day's orders per
   * tick, by a for-of that allocated an iterator, was the most allocation of a 2,000 ticks/s
   * run); a clock that stepped back falls back to the scan.
   */
  counts(now: number): OrderCounts {
    // Only a day's worth is ever needed.
    const t = this.#times;
    while (this.#head < t.length && now - t[this.#head]! >= DAY_MS) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > t.length) {
      this.#times = t.slice(this.#head);
      this.#head = 0;
      return this.counts(now);
    }
    const day = t.length - this.#head;
    if (!this.#sorted) {
      let minute = 0, hour = 0;
      for (let i = this.#head; i < t.length; i++) {
        if (now - t[i]! < HOUR_MS) hour++;
        if (now - t[i]! < MINUTE_MS) minute++;
      }
      return { minute, hour, day };
    }
    return { minute: t.length - firstWithin(t, this.#head, now, MINUTE_MS), hour: t.length - firstWithin(t, this.#head, now, HOUR_MS), day };
  }
}

/** In ascending t[from..]: the first index whose time is within `span` of now (now - t < span; later ones are too). */
function firstWithin(t: readonly number[], from: number, now: number, span: number): number {
  let lo = from;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (now - t[mid]! < span) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first window (minute, hour, day) already at its limit, so one more order would exceed it. */
export function budgetBreach(c: OrderCounts, l: BudgetLimits): BudgetBreach | undefined {
  if (l.perMinute !== undefined && c.minute >= l.perMinute) return { window: "minute", orders: c.minute, limit: l.perMinute };
  if (c.hour >= l.perHour) return { window: "hour", orders: c.hour, limit: l.perHour };
  if (c.day >= l.perDay) return { window: "day", orders: c.day, limit: l.perDay };
  return undefined;
}
