// Orders not settled yet, counted as position until they are (so two signals never spend the
// same headroom): reserved when the intent is journaled, marked when the answer was lost (then
// they count at full size until their fate is proven), released when the fate is final.
import type { NewReservation, Reservation } from "../core/order-events.ts";
import type { Exposure, NetRange } from "./account-types.ts";

export class Reservations {
  readonly #byId = new Map<string, Reservation>();

  constructor(private readonly now: () => number) {}

  reserve(r: NewReservation): void {
    this.#byId.set(r.clientId, { ...r, since: this.now() });
  }

  has(clientId: string): boolean {
    return this.#byId.has(clientId);
  }

  /** The order's answer was lost: it counts at full size until the ledger or the horizon settles it. */
  markFateUnknown(clientId: string): void {
    const r = this.#byId.get(clientId);
    if (r) r.fateUnknown = true;
  }

  release(clientId: string): void {
    this.#byId.delete(clientId);
  }

  list(): Reservation[] {
    return [...this.#byId.values()];
  }

  instruments(): string[] {
    return [...this.#byId.values()].map((r) => r.instrument);
  }

  /**
   * A position for sizing: `position` plus every unsettled entry order on this instrument.
   * Reduce-only orders in flight are not subtracted (they might not fill), which errs on the
   * side of less headroom.
   */
  withEntries(instrument: string, position: Exposure, includeFateUnknown = true): Exposure {
    const p = { ...position };
    for (const r of this.#byId.values()) {
      if (r.instrument !== instrument || r.reduceOnly || (!includeFateUnknown && r.fateUnknown)) continue;
      if (r.side === "buy") p.long += r.units;
      else p.short += r.units;
    }
    return p;
  }

  /**
   * Net units (long - short) as they may end up once every unsettled order (entries and
   * reduce-only, in flight or of unknown fate) has filled or not, in any combination: the worst
   * case a reduce-only order must be sized against.
   */
  netRange(instrument: string, position: Exposure): NetRange {
    const net = position.long - position.short;
    let min = net, max = net;
    for (const r of this.#byId.values()) {
      if (r.instrument !== instrument) continue;
      if (r.side === "buy") max += r.units;
      else min -= r.units;
    }
    return { min, max };
  }
}
