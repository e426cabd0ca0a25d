// The gate's rehearsal. At a few orders a second the code and data an order takes from the
// decision to its request run cold: each of the ~15 steps costs tens of times what it costs run
// back to back (docs/performance.md). So after the ticks that brought no signal, while the gate
// waits for one, fast_scalp's next entry on that instrument is decided as far as the bytes of its
// request (Gate.rehearse): the checks, the sizing, the order, the intent's line, the request.
// Nothing is written, sent, reserved, published or logged, and no guard changes.
// A rehearsal never goes ahead of a real signal: it runs once the ticks of the chunk at hand are
// all handled (a microtask), at most one per chunk, and only if the gate is still waiting then (a
// signal published by a later tick of the same chunk has been handed over and comes first).
// Where prices come seldom (OANDA's stream sends a few a second per instrument) the process sleeps
// between them and is cold again by the next, so the live node may also call onTimer() every
// GATE_REHEARSAL_EVERY_MS: a rehearsal on the last instrument if none ran in the last half period.
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
  /** The first rehearsal that fails with an error (not a skip) is logged; later ones are only counted. */
  log?: { warn(o: object, msg: string): void };
}

export class GateRehearsal {
  /** The instrument of the latest tick since the scheduled rehearsal was queued (undefined: none queued). */
  #queued: string | undefined;
  /** Instruments whose last rehearsal was a buy: buy and sell in turn, per instrument. */
  readonly #lastBought = new Set<string>();
  /** The instrument of the last tick seen (what a timer's rehearsal takes). */
  #lastInstrument: string | undefined;
  /** performance.now() of the last rehearsal run. */
  #lastRunAt = -Infinity;
  /** Rehearsals run (each ended at the request, a skip or an error). */
  runs = 0;
  #errorLogged = false;

  constructor(private readonly d: GateRehearsalDeps) {}

  /** After a tick was dispatched: rehearse once this turn's ticks are handled, if the gate still waits then. */
  afterTick(instrument: string): void {
    this.#lastInstrument = instrument;
    const alreadyQueued = this.#queued !== undefined;
    this.#queued = instrument;
    if (alreadyQueued) return;
    queueMicrotask(() => {
      const i = this.#queued!;
      this.#queued = undefined;
      this.rehearseNow(i);
    });
  }

  /** The timer's turn (every `periodMs`): rehearse the last tick's instrument unless a rehearsal ran in the last half period. */
  onTimer(periodMs: number): Rehearsed | undefined {
    if (this.#lastInstrument === undefined || performance.now() - this.#lastRunAt < periodMs / 2) return undefined;
    return this.rehearseNow(this.#lastInstrument);
  }

  /** Rehearse now if the gate waits and fast_scalp trades; undefined when not rehearsed. */
  rehearseNow(instrument: string): Rehearsed | undefined {
    if (!this.d.bus.consumerWaiting || !this.d.active()) return undefined;
    // Both sides in turn: a buy and a sell read different prices and round different ways.
    const buy = !this.#lastBought.has(instrument);
    const s = this.d.signal(instrument, buy ? "buy" : "sell");
    if (!s) return undefined;
    if (buy) this.#lastBought.add(instrument);
    else this.#lastBought.delete(instrument);
    const r = this.d.gate.rehearse(s);
    this.#lastRunAt = performance.now();
    this.runs++;
    this.d.metrics?.rehearsal(r.reached);
    if (r.reached === "error" && !this.#errorLogged) {
      this.#errorLogged = true;
      this.d.log?.warn({ event: "rehearsal_error", instrument, error: r.error }, "a rehearsal of an entry failed (nothing was sent; the real order is unaffected but runs cold); later failures are only counted in sekisho_gate_rehearsals_total{reached=\"error\"}");
    }
    return r;
  }
}
