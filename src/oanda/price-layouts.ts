// The pricing scanner's learned layouts (price-layout.ts): which to try on a line, and when to
// learn another. A few are kept, the most recently matched first. Layouts pay only when lines
// repeat them, so two back-offs keep a stream whose lines never repeat one (a liquidity that
// changes every line) from paying for them: after LAYOUT_MISSES lines in a row that none matched
// they are tried on one line in LAYOUT_RETRY only, and after a layout that matched fewer than
// LAYOUT_USEFUL lines the next is made only after twice as many lines as the last wait.
import type { ValueReader } from "./price-values.ts";
import { LineLayout } from "./price-layout.ts";

/** Layouts kept (the most recently matched first). */
const MAX_LAYOUTS = 4;
/** A layout that matched this many lines was worth making. */
const LAYOUT_USEFUL = 8;
const MAX_LEARN_WAIT = 4096;
const LAYOUT_MISSES = 16;
/** A power of two. */
const LAYOUT_RETRY = 64;

export class LearnedLayouts {
  /** After a match: the index just past the matched line's "\n". */
  end = 0;
  /** Lines matched by a layout so far. */
  matched = 0;
  readonly #layouts: LineLayout[] = [];
  #lastLearned: LineLayout | undefined;
  #sinceLearn = 0;
  #learnWait = 0;
  #misses = 0;
  #retry = 0;

  /** byLoop: match with LineLayout.matchByLoop, not generated code (the reference, for tests). */
  constructor(private readonly byLoop = false) {}

  /** The layout the line at b[start] matches (its values set on it, `end` here), or undefined. */
  match(b: Uint8Array, dv: DataView, start: number): LineLayout | undefined {
    const ls = this.#layouts;
    if (ls.length === 0 || (this.#misses >= LAYOUT_MISSES && (++this.#retry & (LAYOUT_RETRY - 1)) !== 0)) return undefined;
    for (let k = 0; k < ls.length; k++) {
      const l = ls[k]!;
      const end = l.match(b, dv, start);
      if (end < 0) continue;
      if (k > 0) (ls[k] = ls[0]!), (ls[0] = l);
      this.#misses = 0;
      this.end = end;
      this.matched++;
      return l;
    }
    this.#misses++;
    return undefined;
  }

  /** Make a layout of the line just read (LineLayout.from's arguments), unless the back-off says wait. */
  learn(b: Uint8Array, dv: DataView, start: number, end: number, kind: number, instrument: string, open: boolean, kinds: Uint8Array, from: Int32Array, to: Int32Array, n: number, v: ValueReader): void {
    if (++this.#sinceLearn < this.#learnWait) return;
    const last = this.#lastLearned;
    this.#learnWait = last === undefined || last.hits >= LAYOUT_USEFUL ? 0 : Math.min(MAX_LEARN_WAIT, Math.max(1, this.#learnWait * 2));
    this.#sinceLearn = 0;
    const l = LineLayout.from(b, dv, start, end, kind, instrument, open, kinds, from, to, n, v, this.byLoop);
    this.#lastLearned = l;
    if (!l) return;
    const ls = this.#layouts;
    if (ls.length >= MAX_LAYOUTS) ls.pop();
    ls.unshift(l);
  }
}
