// The gate's rehearsal. At a few orders a second the code and data an order takes from the
// decision to its request run cold: each of the ~15 steps costs tens of times what it costs run
// back to back (docs/performance.md). So after each tick that brought no signal, while the gate
// waits for one, fast_scalp's next entry on that instrument is decided as far as the bytes of its
// request (Gate.rehearse): the checks, the sizing, the order, the intent's line, the request.
// Nothing is written, sent, reserved, published or logged, and the gate is never kept from a real
// signal: a tick that published one, or a gate that is deciding, is not rehearsed.
// The live node calls it; replay does not (it has no idle gate to keep warm).
import type { Side, Signal } from "../core/types.ts";
import type { Rehearsed } from "./gate.ts";

export interface GateRehearsalDeps {
  gate: { rehearse(s: Signal): Rehearsed };
  bus: { readonly consumerWaiting: boolean };
  /** Whether fast_scalp trades now (enabled and not paused): only its entries are rehearsed. */
  active: () => boolean;
  /** fast_scalp's signal for an instrument and side, as it would publish it (undefined: no price). */
  signal: (instrument: string, side: Side) => Signal | undefined;
  metrics?: { rehearsal(reached: Rehearsed["reached"]): void };
}

export class GateRehearsal {
  #n = 0;

  constructor(private readonly d: GateRehearsalDeps) {}

  /** After a tick was dispatched: rehearse if the gate waits and fast_scalp trades. */
  onTick(instrument: string): Rehearsed | undefined {
    if (!this.d.bus.consumerWaiting || !this.d.active()) return undefined;
    // Both sides in turn: a buy and a sell read different prices and round different ways.
    const s = this.d.signal(instrument, (this.#n++ & 1) === 0 ? "buy" : "sell");
    if (!s) return undefined;
    const r = this.d.gate.rehearse(s);
    this.d.metrics?.rehearsal(r.reached);
    return r;
  }
}
