// A learned layout's match (price-layout.ts) as straight-line code, made once per layout shape.
// The loop in LineLayout.matchByLoop reads, for every line, where each word, byte and digit group
// lies and what to do with it from typed arrays; the same steps written out with those places as
// constants run about 2.5 times faster (compact USD/JPY lines: ~50 vs ~135 ns a line on Deno),
// and one check of all the groups' digits replaces one per group. What varies between layouts of
// one shape (the fixed words and bytes, the hour, fixed prices) is read from the layout, so a shape's code
// is made once and stays warm when the hour turns or a liquidity changes.
//
// Safety of the generated source: it is built only from integers read out of the shape's typed
// arrays (offsets, masks, counts), never from a line's text, so no byte of the stream can become
// code. Where the runtime refuses code generation from strings (Node's
// --disallow-code-generation-from-strings), compiledMatch returns undefined and the loop is used.
// Both give the same result for every line (property-tested: test/oanda/price-layout.test.ts).
import { SLOT_ASK, SLOT_BID, SLOT_CASK, SLOT_CBID } from "./price-template.ts";

/** Where a layout's fixed bytes and open digits lie: everything the code depends on. */
export interface LayoutShape {
  /** The line's length with its "\n". */
  readonly size: number;
  readonly wordAt: Int32Array;
  readonly byteAt: Int32Array;
  readonly groupAt: Int32Array;
  readonly groupKeep: Int32Array;
  readonly groupZeros: Int32Array;
  readonly fracLen: number;
  readonly priceKind: Uint8Array;
  readonly priceIntGroups: Int8Array;
  readonly priceFracGroups: Int8Array;
  readonly priceFrac: Int8Array;
}

/** What varies between layouts of one shape, and where a match leaves its values. */
export interface LayoutValues {
  /** The fixed 8-byte words (as doubles) and bytes, the hour's start, the fixed prices' values. */
  readonly words: Float64Array;
  readonly bytes: Uint8Array;
  readonly hourMs: number;
  readonly priceFixed: Float64Array;
  /** The last match's values, and how many lines matched. */
  time: number;
  bid: number;
  ask: number;
  hits: number;
}

/**
 * Match the line at b[start] against the layout `l` (of the shape the code was made for): the
 * index just past its "\n", with l.time, l.bid and l.ask set and l.hits counted; or -1.
 */
export type CompiledMatch = (b: Uint8Array, dv: DataView, start: number, l: LayoutValues) => number;

/** Shapes whose code is kept: a stream has a few (a heartbeat, a price per instrument and book depth). */
const MAX_SHAPES = 64;
const made = new Map<string, CompiledMatch>();
let refused = false;

/** The shape's match as code (made once per shape), or undefined where code cannot be generated. */
export function compiledMatch(shape: LayoutShape): CompiledMatch | undefined {
  if (refused) return undefined;
  const source = matchSource(shape);
  let f = made.get(source);
  if (f) return f;
  try {
    f = new Function("b", "dv", "start", "l", source) as CompiledMatch;
  } catch {
    refused = true;
    return undefined;
  }
  if (made.size >= MAX_SHAPES) made.clear();
  made.set(source, f);
  return f;
}

/** The body of a CompiledMatch for the shape: the steps of LineLayout.matchByLoop, unrolled. */
export function matchSource(s: LayoutShape): string {
  const int = (x: number) => {
    if (!Number.isInteger(x)) throw new Error(`layout shape: ${x} is not an integer`);
    return String(x);
  };
  const out: string[] = [`const end = start + ${int(s.size)};`, "if (end > b.length) return -1;", "const words = l.words, bytes = l.bytes;"];
  const fixed: string[] = [];
  for (let k = 0; k < s.wordAt.length; k++) fixed.push(`dv.getFloat64(start + ${int(s.wordAt[k]!)}, true) !== words[${k}]`);
  for (let k = 0; k < s.byteAt.length; k++) fixed.push(`b[start + ${int(s.byteAt[k]!)}] !== bytes[${k}]`);
  if (fixed.length > 0) out.push(`if (${fixed.join(" || ")}) return -1;`);
  const groups = s.groupAt.length;
  const x: string[] = [];
  for (let g = 0; g < groups; g++) {
    const read = `dv.getInt32(start + ${int(s.groupAt[g]!)}, true)`;
    out.push(`const x${g} = ${s.groupKeep[g] === -1 ? read : `(${read} & ${int(s.groupKeep[g]!)}) | ${int(s.groupZeros[g]!)}`};`);
    x.push(`x${g}`);
  }
  if (groups > 0) {
    // Every byte of every group a digit: high nibble 3 in all of them (AND and OR both 0x3_), and
    // still 3 after adding 6 (price-values.ts: fourDigits), checked for all groups at once.
    out.push(`if (((${x.join(" & ")}) & 0xf0f0f0f0) !== 0x30303030 || ((${x.join(" | ")}) & 0xf0f0f0f0) !== 0x30303030) return -1;`);
    out.push(`if (((${x.map((v) => `(${v} + 0x06060606)`).join(" | ")}) & 0xf0f0f0f0) !== 0x30303030) return -1;`);
  }
  // A group's value (price-values.ts: fourDigitValue, its digit check done above), where used.
  const valued = new Set<number>();
  const value = (g: number) => {
    if (!valued.has(g)) {
      valued.add(g);
      out.push(`const d${g} = x${g} - 0x30303030; const t${g} = (d${g} * 10 + (d${g} >>> 8)) & 0x00ff00ff; const v${g} = (t${g} * 100 + (t${g} >>> 16)) & 0xffff;`);
    }
    return `v${g}`;
  };
  let g = 0;
  const f = s.fracLen;
  if (f >= 0) {
    out.push(`const mi = ${value(0)}, se = ${value(1)};`, "if (mi > 59 || se > 59) return -1;");
    const ms = f === 0 ? "0" : f >= 4 ? `((${value(2)} / 10) | 0)` : f === 3 ? value(2) : f === 2 ? `${value(2)} * 10` : `${value(2)} * 100`;
    out.push(`l.time = l.hourMs + mi * 60000 + se * 1000 + ${ms};`);
    g = f === 0 ? 2 : 3 + ((f - 1) >> 2);
  }
  const bids: string[] = [], asks: string[] = [];
  let cbid = "0", cask = "0";
  for (let r = 0; r < s.priceKind.length; r++) {
    let price = `l.priceFixed[${r}]`;
    const gi = s.priceIntGroups[r]!;
    if (gi !== 0) {
      const hi = gi === 1 ? value(g) : `(${value(g)} * 10000 + ${value(g + 1)})`;
      g += gi;
      const gf = s.priceFracGroups[r]!;
      const lo = gf === 1 ? value(g) : `(${value(g)} * 10000 + ${value(g + 1)})`;
      g += gf;
      const p = int(10 ** s.priceFrac[r]!);
      out.push(`const p${r} = (${hi} * ${p} + ${lo}) / ${p};`);
      price = `p${r}`;
    }
    const k = s.priceKind[r];
    if (k === SLOT_BID) bids.push(price);
    else if (k === SLOT_ASK) asks.push(price);
    else if (k === SLOT_CBID) cbid = price;
    else if (k === SLOT_CASK) cask = price;
  }
  // The best level (prices are finite and not negative: Math.max/min are the loop's comparisons), else the closeout price.
  out.push(`l.bid = ${bids.length > 1 ? `Math.max(${bids.join(", ")})` : (bids[0] ?? cbid)};`);
  out.push(`l.ask = ${asks.length > 1 ? `Math.min(${asks.join(", ")})` : (asks[0] ?? cask)};`);
  out.push("l.hits++;", "return end;");
  return out.join("\n");
}
