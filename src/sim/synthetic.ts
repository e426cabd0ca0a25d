// Seeded synthetic prices that look like USD/JPY on an ordinary day: a few ticks a second
// (exponential gaps), spreads mostly 0.2-1.5 pips with an occasional wider one, and a random
// walk whose volatility bursts now and then. Pure: the driver turns `dtMs` into timers.
import type { InstrumentSpec } from "../core/types.ts";
import { normal, seededRandom, type Random } from "./prng.ts";

/** A price and the simulated milliseconds since the previous one. */
export interface SyntheticTick {
  bid: number;
  ask: number;
  dtMs: number;
}

/**
 * The walk: calm volatility ~0.3 pip per sqrt(second) (about 90 pips a day for USD/JPY); a burst
 * starts with this chance a tick, ends with that one, and multiplies volatility; a wide spread
 * comes with this chance a tick.
 */
const WALK = { sigmaPips: 0.3, burstEnter: 0.004, burstExit: 0.05, burstVol: 4, wideSpreadP: 0.03 };

export class SyntheticTicks {
  readonly #rand: Random;
  readonly #pip: number;
  readonly #tick: number;
  #mid: number;
  #burst = false;

  constructor(readonly spec: InstrumentSpec, start: { bid: number; ask: number }, seed: number, readonly ratePerSec: number) {
    this.#rand = seededRandom(seed);
    this.#pip = 10 ** spec.pipLocation;
    this.#tick = 10 ** -spec.displayPrecision;
    this.#mid = (start.bid + start.ask) / 2;
  }

  get inBurst(): boolean {
    return this.#burst;
  }

  next(): SyntheticTick {
    const r = this.#rand;
    const dtMs = Math.max(20, (-Math.log(Math.max(r(), 1e-9)) * 1000) / this.ratePerSec);
    if (this.#burst ? r() < WALK.burstExit : r() < WALK.burstEnter) this.#burst = !this.#burst;
    const vol = WALK.sigmaPips * this.#pip * Math.sqrt(dtMs / 1000) * (this.#burst ? WALK.burstVol : 1);
    this.#mid = Math.max(this.#pip * 10, this.#mid + normal(r) * vol);
    const u = r();
    let spreadPips = r() < WALK.wideSpreadP ? 1.5 + u * 3 : 0.2 + 1.3 * u * u;
    if (this.#burst) spreadPips *= 1.5;
    const half = (spreadPips * this.#pip) / 2;
    const q = (x: number) => Math.round(x / this.#tick) * this.#tick;
    const bid = q(this.#mid - half);
    let ask = q(this.#mid + half);
    if (ask <= bid) ask = bid + this.#tick;
    const d = this.spec.displayPrecision;
    return { dtMs, bid: Number(bid.toFixed(d)), ask: Number(ask.toFixed(d)) };
  }
}
