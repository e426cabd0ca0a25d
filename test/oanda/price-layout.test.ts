// A learned layout matches through code generated for its shape (price-layout-code.ts); the loop
// it replaces (LineLayout.matchByLoop) stays as the reference. Two scanners, one matching by the
// generated code and one by the loop, read the same runs of lines (the digits a layout leaves
// open moving, prices changing shape, lines mutated in place) and must give the same answer for
// every line, while most lines go through a layout. That the answer is the schema path's is
// price-scan.test.ts' and price-repeats.test.ts' (which run the generated code, the default).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DECLINED, PRICE, PriceLineScanner } from "../../src/oanda/price-scan.ts";
import { matchSource } from "../../src/oanda/price-layout-code.ts";
import { mutate } from "./price-lines.gen.ts";

const enc = new TextEncoder();

/** What a scanner answered for a line: its kind, where it ended and the values read. */
function answer(s: PriceLineScanner, line: string, pad: number): unknown[] {
  const body = enc.encode(`${line}\n`);
  const b = new Uint8Array(pad + body.length + 8).fill(48); // digits after the line: a read past its end would see them
  b.set(body, pad);
  if (pad > 0) b[pad - 1] = 10;
  const k = s.scan(b, new DataView(b.buffer), pad, 5, 6);
  if (k === DECLINED) return [k];
  if (k !== PRICE) return [k, s.end, s.time];
  const t = s.tick!;
  return [k, s.end, t.instrument, t.bid, t.ask, t.time, t.tradeable, t.receivedAt, t.receivedMono];
}

const two = (n: number) => String(n).padStart(2, "0");
/** Prices mostly of one shape (the layout's), sometimes of another or not quite a price. */
const price = fc.oneof(
  { weight: 60, arbitrary: fc.integer({ min: 100_000, max: 999_999 }).map((x) => `${String(x).slice(0, 3)}.${String(x).slice(3)}`) },
  { weight: 2, arbitrary: fc.constantFrom("1.05794", "155.0089", "1555.008", "99.999", "12345678.1234567", "0.1", "7", "155.", ".008") },
  { weight: 1, arbitrary: fc.constantFrom("155.0O8", "15a.008", "-55.008", "155:008", "155/008", "1.23456789012345678", "") },
);
/** A time in the run's hour with its fraction's length, mostly; now and then another hour or length. */
const time = (hour: string, digits: number) => fc.tuple(fc.oneof({ weight: 12, arbitrary: fc.constant(hour) }, { weight: 1, arbitrary: fc.constant("22") }), fc.nat(61), fc.nat(61),
  fc.oneof({ weight: 12, arbitrary: fc.constant(digits) }, { weight: 1, arbitrary: fc.nat(12) }), fc.nat())
  .map(([h, mi, s, n, x]) => `2026-11-23T${h}:${two(mi)}:${two(s)}${n ? `.${String(x).padStart(12, "7").slice(0, n)}` : ""}Z`);
/** A line of one of four shapes (compact as OANDA sends it, spaced, a side without levels, a heartbeat). */
const line = (shape: number, hour: string, digits: number, liquidity: string) => fc.tuple(time(hour, digits), fc.array(price, { minLength: 6, maxLength: 6 }), fc.oneof({ weight: 12, arbitrary: fc.constant(liquidity) }, { weight: 1, arbitrary: fc.constant("5000000") })).map(([t, p, l]) => {
  if (shape === 0) return `{"type":"PRICE","time":"${t}","bids":[{"price":"${p[0]}","liquidity":${l}},{"price":"${p[1]}","liquidity":5000000}],"asks":[{"price":"${p[2]}","liquidity":${l}},{"price":"${p[3]}","liquidity":5000000}],"closeoutBid":"${p[4]}","closeoutAsk":"${p[5]}","status":"tradeable","tradeable":true,"instrument":"USD_JPY"}`;
  if (shape === 1) return `{"closeoutAsk": "${p[5]}", "tradeable": true, "time": "${t}", "bids": [{"price": "${p[0]}", "liquidity": ${l}}], "instrument": "EUR_USD", "asks": [{"price": "${p[2]}", "liquidity": ${l}}], "status": "tradeable", "type": "PRICE", "closeoutBid": "${p[4]}"}`;
  if (shape === 2) return `{"type":"PRICE","time":"${t}","bids":[],"asks":[{"price":"${p[2]}"}],"closeoutBid":"${p[4]}","closeoutAsk":"${p[5]}","tradeable":false,"instrument":"USD_JPY"}`;
  return `{"type":"HEARTBEAT","time":"${t}"}`;
});
/** A run of lines of one shape, hour, fraction length and liquidity, each now and then otherwise, some mutated in place (a byte swapped, cut, inserted, dropped). */
const run = fc.tuple(fc.nat(3), fc.constantFrom("00", "09", "21", "23"), fc.constantFrom(9, 9, 6, 3, 1, 0), fc.constantFrom("1000000", "10000000.0", "250000"))
  .chain(([shape, hour, digits, liquidity]) => fc.array(fc.tuple(line(shape, hour, digits, liquidity).chain((l) => fc.oneof({ weight: 8, arbitrary: fc.constant(l) }, { weight: 1, arbitrary: mutate(l) })), fc.nat(5)), { minLength: 2, maxLength: 30 }));

describe("a learned layout's generated code", () => {
  it("property: the same answer as the layout's loop for every line of runs of one shape, mutations included", () => {
    let viaLayouts = 0;
    let lines = 0;
    fc.assert(
      fc.property(run, (r) => {
        const byCode = new PriceLineScanner();
        const byLoop = new PriceLineScanner({ layoutsByLoop: true });
        for (const [l, pad] of r) expect(answer(byCode, l, pad), l).toEqual(answer(byLoop, l, pad));
        expect(byCode.layoutMatches).toBe(byLoop.layoutMatches);
        viaLayouts += byCode.layoutMatches;
        lines += r.length;
      }),
      { numRuns: 1_000 },
    );
    // Not a vacuous pass: many lines were read by a layout (never the first of a run, nor a line whose prices changed shape).
    expect(viaLayouts).toBeGreaterThan(lines / 3);
  });

  it("every one-byte change of a compact line after its layout was learned: the loop's answer", () => {
    const at = (s: string, p: string) => `{"type":"PRICE","time":"2026-11-23T21:${s}Z","bids":[{"price":"${p}","liquidity":1000000}],"asks":[{"price":"155.131","liquidity":1000000}],"closeoutBid":"155.119","closeoutAsk":"155.135","status":"tradeable","tradeable":true,"instrument":"USD_JPY"}`;
    const learned = [at("00:00.123456789", "155.123"), at("00:01.223456789", "155.124")];
    const base = at("59:59.999999999", "999.999");
    let viaLayouts = 0;
    for (let i = 0; i < base.length; i++) {
      for (const c of [..."\"{}[],:09./eZO\\"]) {
        const m = base.slice(0, i) + c + base.slice(i + 1);
        const byCode = new PriceLineScanner();
        const byLoop = new PriceLineScanner({ layoutsByLoop: true });
        for (const l of [...learned, m]) expect(answer(byCode, l, 1), m).toEqual(answer(byLoop, l, 1));
        viaLayouts += byCode.layoutMatches;
      }
    }
    expect(viaLayouts).toBeGreaterThan(base.length);
  });

  it("its source is made of the shape's integers only: a value that is not one is refused", () => {
    const shape = { size: 10, wordAt: Int32Array.of(0), byteAt: new Int32Array(0), groupAt: new Int32Array(0), groupKeep: new Int32Array(0), groupZeros: new Int32Array(0), fracLen: -1, priceKind: new Uint8Array(0), priceIntGroups: new Int8Array(0), priceFracGroups: new Int8Array(0), priceFrac: new Int8Array(0) };
    expect(matchSource(shape)).toContain("start + 10");
    expect(() => matchSource({ ...shape, size: 10.5 })).toThrow(/not an integer/);
  });
});
