// Fault injection state, shared by the REST layer and the streams. The dice are seeded
// (faults.seed) so a failing run replays the same way.
import { seededRandom, type Random } from "./prng.ts";
import { FaultsSchema, type Faults } from "./scenario.ts";

export class FaultState {
  #f: Faults;
  #rand: Random;

  constructor(initial?: Partial<Faults>) {
    this.#f = FaultsSchema.parse(initial ?? {});
    this.#rand = seededRandom(this.#f.seed);
  }

  get(): Faults {
    return { ...this.#f };
  }

  /** Merge a partial update; a new seed restarts the dice. */
  set(patch: Partial<Faults>): Faults {
    const next = FaultsSchema.parse({ ...this.#f, ...stripUndefined(patch) });
    if (patch.seed !== undefined) this.#rand = seededRandom(next.seed);
    this.#f = next;
    return this.get();
  }

  /** Should this REST request fail with errorStatus? */
  rollError(): boolean {
    return this.#f.errorRate > 0 && this.#rand() < this.#f.errorRate;
  }

  /** Should a garbage line go before this stream line? */
  rollMalformed(): boolean {
    return this.#f.malformedLineRate > 0 && this.#rand() < this.#f.malformedLineRate;
  }

  /** A garbage line chosen with the seeded dice. */
  garbage(): string {
    return garbageLine(this.#rand);
  }

  /** Count one order write; true when it is the one after which the market halts. */
  afterWrite(): boolean {
    if (this.#f.haltAfterWrites <= 0) return false;
    this.#f = { ...this.#f, haltAfterWrites: this.#f.haltAfterWrites - 1 };
    return this.#f.haltAfterWrites === 0;
  }

  /** Consume one ghost fill if any are armed. */
  takeGhost(): boolean {
    if (this.#f.ghostFill <= 0) return false;
    this.#f = { ...this.#f, ghostFill: this.#f.ghostFill - 1 };
    return true;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What a malformed line looks like: truncated JSON, binary noise, or an unknown object. */
function garbageLine(rand: () => number = Math.random): string {
  const kinds = ['{"type":"PRICE","instrument":"USD_JPY","bids":[{"price":"15', "\u0000\u0001garbage\u00ff", '{"type":"UNKNOWN_THING"', "not json at all"];
  return kinds[Math.floor(rand() * kinds.length)]!;
}
