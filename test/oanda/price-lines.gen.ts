// Generators of pricing-stream lines for the fast path's property tests: valid PRICE and
// HEARTBEAT lines in any field order, with extra fields, any number of levels, escapes and
// whitespace anywhere JSON allows, and mutations of them (cut short, a byte swapped, inserted or
// dropped, a key given twice, signs, exponents, huge and over-long numbers, bad times).
import fc from "fast-check";
import { parsePricingLineSlow, type PricingLine } from "../../src/oanda/price-line.ts";

/** JSON text written as is (a number's exact spelling). */
export class Raw {
  constructor(readonly text: string) {}
}
/** An object as ordered entries, so a key can be given twice. */
export class Obj {
  constructor(readonly entries: [string, Val][]) {}
}
export type Val = Raw | Obj | string | number | boolean | null | Val[];

/** Choices the serializer takes (whitespace, escapes), cycled. */
class Choices {
  #i = 0;
  constructor(readonly xs: number[]) {}
  next(): number {
    return this.xs.length === 0 ? 1 : this.xs[this.#i++ % this.xs.length]!;
  }
}

const WS = ["", "", "", "", " ", "\t", "\r", "  "];

function str(s: string, ch: Choices): string {
  let out = '"';
  for (const c of s) {
    const k = ch.next();
    if (k % 97 === 0 && c.length === 1) {
      const hex = c.charCodeAt(0).toString(16).padStart(4, "0");
      out += `\\u${k % 2 ? hex.toUpperCase() : hex}`;
    }
    else out += JSON.stringify(c).slice(1, -1);
  }
  return `${out}"`;
}

/** JSON text of v with whitespace and escapes chosen by `choices` (none when it is empty). */
export function serialize(v: Val, choices: number[]): string {
  const ch = new Choices(choices);
  const ws = () => WS[ch.next() % WS.length]!;
  const go = (x: Val): string => {
    if (x instanceof Raw) return x.text;
    if (x instanceof Obj) return `{${ws()}${x.entries.map(([k, e]) => `${str(k, ch)}${ws()}:${ws()}${go(e)}`).join(`${ws()},${ws()}`)}${ws()}}`;
    if (Array.isArray(x)) return `[${ws()}${x.map(go).join(`${ws()},${ws()}`)}${ws()}]`;
    if (typeof x === "string") return str(x, ch);
    return JSON.stringify(x);
  };
  return go(v);
}

const plainDecimal = fc.tuple(fc.double({ min: 0, max: 3000, noNaN: true }), fc.integer({ min: 0, max: 6 })).map(([x, d]) => x.toFixed(d));
const oddDecimal = fc.constantFrom("007.50", ".5", "5.", "0", "0.0", "123456789012345", "1234567890123456", "0.00000000000000001", "-1.5", "+1", "1e3", "1E-2", "NaN", "Infinity", "", " 1", "1 ", "1.2.3", "0x10", "١٢", "1_000", "9007199254740993", "96.31679748889775", "917444999335.9097", "99999999999999999", "0.30000000000000004", "1.7976931348623157", "000000000000000001.5");
/** A decimal as OANDA sends it (a string) or as a JSON number, sometimes odd. */
export const decimal: fc.Arbitrary<Val> = fc.oneof(
  { weight: 40, arbitrary: plainDecimal },
  { weight: 1, arbitrary: oddDecimal },
  { weight: 2, arbitrary: fc.constantFrom("1000000", "10000000.0", "0", "0.5", "250000", "1e7", "-5", "-0", "-0.0", "01", "1.", "123456789012345678", "1e400", "1.5e3").map((t) => new Raw(t)) },
);

const validTime = fc.tuple(fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), fc.integer({ min: 0, max: 19 }), fc.nat())
  .map(([d, n, x]) => {
    const iso = d.toISOString();
    if (iso.startsWith("+") || iso.startsWith("-")) return "2026-11-23T21:00:00Z";
    const frac = String(x).padStart(19, "7").slice(0, n);
    return `${iso.slice(0, 19)}${n ? `.${frac}` : ""}Z`;
  });
export const time: fc.Arbitrary<Val> = fc.oneof(
  { weight: 30, arbitrary: validTime },
  { weight: 2, arbitrary: fc.constantFrom("2017-02-23T20:57:21.215739156Z", "2026-02-30T00:00:00Z", "2024-02-29T23:59:59.9Z", "2023-02-29T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T21:60:00Z", "2026-11-23T21:00:60Z", "2026-11-23 21:00:00Z", "2026-11-23T21:00:00.Z", "2026-11-23T21:00:00.12345678901234567890Z", "2017-01-01T09:00:00+09:00", "1509281144.757577547", "2026-11-23T21:00:00z", "") },
  { weight: 1, arbitrary: fc.constantFrom<Val>(5, null, true, new Raw("1e3")) },
);

const instrument: fc.Arbitrary<Val> = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom("USD_JPY", "EUR_USD", "EUR_JPY", "GBP_USD") },
  { weight: 2, arbitrary: fc.constantFrom<Val>("", "X\"Y", "A\\B", "日本円", "tab\there", "~", 5, null) },
);

/** Any JSON value, for fields nobody reads. */
const anyJson: fc.Arbitrary<Val> = fc.jsonValue({ maxDepth: 3 }).map((v) => v as Val);
const extraKey = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("quoteHomeConversionFactors", "unitsAvailable", "price", "liquidity", "__proto__", "constructor", "toString", "typ", "types", "timE"));

function shuffled<T>(xs: T[], order: number[]): T[] {
  return xs.map((x, i) => [order[i % Math.max(1, order.length)]! + i / 1000, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
}

const level: fc.Arbitrary<Val> = fc.record({
  price: decimal,
  liquidity: fc.option(decimal, { nil: undefined }),
  extra: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(extraKey, anyJson) }),
  order: fc.array(fc.nat(10), { maxLength: 3 }),
}).map(({ price, liquidity, extra, order }) => {
  const e: [string, Val][] = [["price", price]];
  if (liquidity !== undefined) e.push(["liquidity", liquidity]);
  if (extra) e.push(extra);
  return new Obj(shuffled(e, order));
});

/** A PRICE line as OANDA might send it (the keys it always sends, the ones it may leave out). */
export const priceObj: fc.Arbitrary<Obj> = fc.record({
  time,
  instrument,
  bids: fc.array(level, { maxLength: 6 }),
  asks: fc.array(level, { maxLength: 6 }),
  closeoutBid: fc.option(decimal, { nil: undefined }),
  closeoutAsk: fc.option(decimal, { nil: undefined }),
  status: fc.option(fc.constantFrom<Val>("tradeable", "non-tradeable", "", "Tradeable", 5), { nil: undefined }),
  tradeable: fc.option(fc.oneof({ weight: 8, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom<Val>(null, "true", 1) }), { nil: undefined }),
  type: fc.oneof({ weight: 12, arbitrary: fc.constant<Val>("PRICE") }, { weight: 1, arbitrary: fc.constantFrom<Val>("HEARTBEAT", "price", "PRICE ", 5, null) }),
  extras: fc.array(fc.tuple(extraKey, anyJson), { maxLength: 2, size: "xsmall" }),
  order: fc.array(fc.nat(20), { maxLength: 12 }),
  drop: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("type", "time", "instrument", "bids", "asks") }),
}).map((r) => {
  const e: [string, Val][] = [["type", r.type], ["time", r.time], ["instrument", r.instrument], ["bids", r.bids], ["asks", r.asks]];
  for (const k of ["closeoutBid", "closeoutAsk", "status", "tradeable"] as const) if (r[k] !== undefined) e.push([k, r[k]]);
  e.push(...r.extras);
  return new Obj(shuffled(e.filter(([k]) => k !== r.drop), r.order));
});

export const heartbeatObj: fc.Arbitrary<Obj> = fc.record({ time, extras: fc.array(fc.tuple(extraKey, anyJson), { maxLength: 1 }), first: fc.boolean() })
  .map(({ time: t, extras, first }) => new Obj(first ? [["type", "HEARTBEAT"], ["time", t], ...extras] : [["time", t], ...extras, ["type", "HEARTBEAT"]]));

/** One member of the object given again (JSON.parse keeps the later one). */
export const withDuplicate = fc.tuple(priceObj, fc.nat(), decimal).map(([o, i, v]) => {
  if (o.entries.length === 0) return o;
  const [k, old] = o.entries[i % o.entries.length]!;
  return new Obj([...o.entries, [k, i % 2 ? old : v]]);
});

/** Characters a mutation inserts or swaps in. */
const mutationChar = fc.constantFrom("a", "x", "e", "E", "-", "+", ".", "0", "9", '"', "\\", ",", ":", "{", "}", "[", "]", " ", "\t", "\r", "\u0000", "\u001f", "é", "\u2028", "\uFEFF", "n", "t");

/** A text cut short, or one character swapped, inserted or removed (often one of JSON's punctuation). */
export function mutate(text: string): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(Math.max(0, text.length)), fc.constantFrom("cut", "swap", "insert", "drop", "digit", "punctuation"), mutationChar).map(([at, how, c]) => {
    if (how === "cut") return text.slice(0, at);
    if (how === "punctuation") {
      const marks = [...text.matchAll(/[{}[\],:"]/g)].map((m) => m.index);
      const p = marks.length ? marks[at % marks.length]! : at;
      return text.slice(0, p) + c + text.slice(p + 1);
    }
    if (how === "swap") return text.slice(0, at) + c + text.slice(at + 1);
    if (how === "insert") return text.slice(0, at) + c + text.slice(at);
    if (how === "drop") return text.slice(0, at) + text.slice(at + 1);
    // A digit turned into a letter.
    const d = text.slice(at).search(/\d/);
    return d < 0 ? text : text.slice(0, at + d) + "O" + text.slice(at + d + 1);
  });
}

/** The same line with other digits (its shape kept: the case a template must get right). */
export const redigit = (text: string, digits: number[]) => {
  let i = 0;
  return text.replace(/\d/g, (d) => (digits.length === 0 ? d : String(digits[i++ % digits.length]! % 10)));
};

/** The schema path's verdict on a line (JSON.parse, zod, tickFromPrice): what the fast path must give or decline. */
export function reference(line: string, receivedAt: number): PricingLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: "malformed", reason: "invalid_json", detail: line };
  }
  return parsePricingLineSlow(json, line, receivedAt);
}
