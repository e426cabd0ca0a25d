// The fast path's line templates reuse what they read before: a value whose bytes repeat (the
// liquidities, the instrument) is not read again, a price of the last price's shape is read four
// digits at a time, and a time in the last time's hour reads only its minutes, seconds and
// fraction. Here long runs of lines of one shape, each value drawn from a small pool (so values
// repeat, change, change length, and turn invalid at the same place), and every one-byte change of
// a line read after others of its shape: each line gets the schema path's answer or a decline.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DECLINED, PRICE, PriceLineScanner } from "../../src/oanda/price-scan.ts";
import type { PricingLine } from "../../src/oanda/price-line.ts";
import { reference } from "./price-lines.gen.ts";

const enc = new TextEncoder();


/** Scan `line` (placed `pad` bytes into a buffer whose other bytes are `fill`); true when the fast path read it. */
function check(s: PriceLineScanner, line: string, pad: number, fill: number): boolean {
  const body = enc.encode(`${line}\n`);
  const b = new Uint8Array(pad + body.length + 8).fill(fill);
  b.set(body, pad);
  b[pad - 1] = 10;
  const k = s.scan(b, new DataView(b.buffer), pad, 7);
  if (k === DECLINED) return false;
  const got: PricingLine = k === PRICE ? { kind: "price", tick: s.tick! } : { kind: "heartbeat", time: s.time };
  expect(got, line).toEqual(reference(line, 7));
  expect(s.end).toBe(pad + body.length);
  return true;
}

/** Mostly values that read, a few that do not (or not by the fast path), each often repeated. */
const pool = (good: string[], odd: string[]) => fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });
const price = pool(["155.008", "155.015", "155.00", "155.0089", "1555.008", "99.999", "1.2345678", "12345678.1234567", "0.1", "7", "155.", ".008"],
  ["155.0O8", "155,008", "-55.008", "15a.008", "155.008\\", "123456789.1234567", "155:008", "155/008", "1.23456789012345678", ""]);
const liquidity = pool(["1000000", "5000000", "1000000.0", "10000000.0", "1000000.5", "0", "10000000", '"1000000"', "2500000"],
  ["1e6", "0100", "100000O", "-1000000", "1.", "12345678901234567", "1000000 ", '"1000000 "']);
const name = pool(["USD_JPY", "EUR_USD", "USD_JP", "USD_JPZ"], ["USD\\u005fJPY", "USD JPY", "USD_JPY\\", "", "日本"]);
const time = fc.tuple(fc.oneof({ weight: 10, arbitrary: fc.constant("2026-11-23T21:") }, { weight: 1, arbitrary: fc.constantFrom("2026-11-23T22:", "2026-11-24T21:", "2026-02-30T21:", "2026-11-23T24:", "2026-11-23 21:", "2024-02-29T23:") }),
  fc.nat(61), fc.nat(61), fc.oneof({ weight: 10, arbitrary: fc.constant(9) }, { weight: 3, arbitrary: fc.nat(21) }), fc.nat(), fc.oneof({ weight: 20, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom("x", ":", "Z", ".", "0") }))
  .map(([hour, mi, s, n, x, odd]) => {
    const frac = String(x).padStart(21, "3").slice(0, n);
    const t = `${hour}${String(mi).padStart(2, "0")}:${String(s).padStart(2, "0")}${n ? `.${frac}` : ""}Z`;
    return odd ? t.slice(0, 14 + (x % 16)) + odd + t.slice(15 + (x % 16)) : t;
  });

/** A line of one of a few shapes (compact as OANDA sends it, spaced, the liquidity left out, a heartbeat). */
const lineOf = (shape: number) => fc.tuple(time, fc.array(price, { minLength: 6, maxLength: 6 }), fc.array(liquidity, { minLength: 4, maxLength: 4 }), name)
  .map(([t, p, l, n]) => {
    if (shape === 0) return `{"type":"PRICE","time":"${t}","bids":[{"price":"${p[0]}","liquidity":${l[0]}},{"price":"${p[1]}","liquidity":${l[1]}}],"asks":[{"price":"${p[2]}","liquidity":${l[2]}},{"price":"${p[3]}","liquidity":${l[3]}}],"closeoutBid":"${p[4]}","closeoutAsk":"${p[5]}","status":"tradeable","tradeable":true,"instrument":"${n}"}`;
    if (shape === 1) return `{"closeoutAsk": "${p[5]}", "tradeable": true, "time": "${t}", "bids": [{"price": "${p[0]}", "liquidity": ${l[0]}}], "instrument": "${n}", "asks": [{"price": "${p[2]}", "liquidity": ${l[1]}}], "status": "tradeable", "type": "PRICE", "closeoutBid": "${p[4]}"}`;
    if (shape === 2) return `{"type":"PRICE","time":"${t}","bids":[{"price":"${p[0]}"}],"asks":[{"price":"${p[2]}"}],"closeoutBid":"${p[4]}","closeoutAsk":"${p[5]}","tradeable":false,"instrument":"${n}"}`;
    return `{"type":"HEARTBEAT","time":"${t}"}`;
  });

describe("the fast path's reuse of what it read before", () => {
  it("property: runs of lines of one shape, values repeating, changing and going bad in place: the schema path's answer or a decline", () => {
    let read = 0;
    fc.assert(
      fc.property(fc.nat(3).chain((shape) => fc.array(fc.tuple(lineOf(shape), fc.nat(16), fc.constantFrom(10, 48, 34, 32, 0xff)), { minLength: 2, maxLength: 40 })), (run) => {
        const s = new PriceLineScanner();
        for (const [line, pad, fill] of run) if (check(s, line, pad + 1, fill)) read++;
      }),
      { numRuns: 1_500 },
    );
    expect(read).toBeGreaterThan(5_000);
  });

  it("every one-byte change of a line read after two others of its shape: the schema path's answer or a decline", () => {
    const shape = (t: string, a: string, b: string, l: string) => `{"type":"PRICE","time":"2026-11-23T21:${t}Z","bids":[{"price":"${a}","liquidity":${l}}],"asks":[{"price":"${b}","liquidity":${l}}],"closeoutBid":"155.119","closeoutAsk":"155.135","status":"tradeable","tradeable":true,"instrument":"USD_JPY"}`;
    const first = shape("00:00.123456789", "155.123", "155.131", "1000000");
    const second = shape("00:01.223456789", "155.124", "155.132", "1000000");
    const base = shape("00:02.323456789", "155.125", "155.133", "1000000");
    const swaps = [..."\"{}[],: 9.-eZO\\"];
    let fast = 0;
    for (let at = 0; at < base.length; at++) {
      for (const c of swaps) {
        for (const m of [base.slice(0, at) + c + base.slice(at + 1), base.slice(0, at) + c + base.slice(at), base.slice(0, at) + base.slice(at + 1)]) {
          const s = new PriceLineScanner();
          expect(check(s, first, 1, 10)).toBe(true); // the full scan: learns the shape
          expect(check(s, second, 1, 10)).toBe(true); // the template: keeps the values
          if (check(s, m, 1, 10)) fast++;
        }
      }
    }
    expect(fast).toBeGreaterThan(100);
  });
});
