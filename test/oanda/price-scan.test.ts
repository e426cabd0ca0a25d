// The pricing stream's byte-level fast path (price-scan.ts, with its line templates) against the
// schema path (JSON.parse + zod + tickFromPrice): for any line it returns exactly the schema
// path's tick or heartbeat, or declines; it never returns a different value and never accepts a
// line the schema path rejects. Lines come valid (any field order, extra fields, many levels,
// escapes, whitespace), mutated, and from OANDA's recorded payloads; each case runs several
// related lines through one scanner, so a learned template meets lines of its own shape with
// other digits and near-misses of it.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DECLINED, PRICE, PriceLineScanner } from "../../src/oanda/price-scan.ts";
import type { PricingLine } from "../../src/oanda/price-line.ts";
import { hasSharedData, readShared, readSharedJson } from "../helpers/shared-data.ts";
import { heartbeatObj, mutate, priceObj, redigit, reference, serialize, withDuplicate } from "./price-lines.gen.ts";

const enc = new TextEncoder();


/** Scan `line` + "\n" (at an offset, after other bytes) and check the answer; true when the fast path read it. */
function check(scanner: PriceLineScanner, line: string, receivedAt: number, pad = 0): boolean {
  const body = enc.encode(line + "\n");
  const b = new Uint8Array(pad + body.length);
  b.fill(10, 0, pad); // blank lines before it
  b.set(body, pad);
  const k = scanner.scan(b, new DataView(b.buffer), pad, receivedAt);
  if (k === DECLINED) return false;
  const ref = reference(line, receivedAt);
  const got: PricingLine = k === PRICE ? { kind: "price", tick: scanner.tick! } : { kind: "heartbeat", time: scanner.time };
  expect(got, line).toEqual(ref);
  expect(Object.is(k === PRICE ? scanner.tick!.bid : 0, ref.kind === "price" ? ref.tick.bid : 0)).toBe(true);
  expect(scanner.end).toBe(b.length);
  return true;
}

const choices = fc.array(fc.nat(1000), { maxLength: 12 });
const line = fc.oneof({ weight: 6, arbitrary: priceObj }, { weight: 2, arbitrary: heartbeatObj }, { weight: 1, arbitrary: withDuplicate });

describe("the pricing line fast path", () => {
  it("property: valid lines, the same shape with other digits, and mutations of both: the schema path's answer or a decline", () => {
    let read = 0;
    fc.assert(
      fc.property(
        line.chain((o) => fc.tuple(fc.constant(o), choices, fc.array(fc.nat(9), { maxLength: 8 }))).chain(([o, ch, digits]) => {
          const text = serialize(o, ch);
          const sibling = redigit(text, digits);
          return fc.tuple(fc.constant(text), fc.constant(sibling), mutate(text), mutate(sibling), mutate(text).chain(mutate), fc.integer({ min: 0, max: 2e12 }), fc.nat(3));
        }),
        ([text, sibling, m1, m2, m3, receivedAt, pad]) => {
          const s = new PriceLineScanner();
          for (const l of [text, text, sibling, m1, sibling, m2, m3, text]) if (check(s, l, receivedAt, pad)) read++;
        },
      ),
      { numRuns: 3_000 },
    );
    // Not a vacuous pass: most valid lines are read by the fast path.
    expect(read).toBeGreaterThan(3_000);
  });

  it("every one-byte change to a line of a learned shape: the schema path's answer or a decline", () => {
    const compact = `{"type":"PRICE","time":"2026-11-23T21:00:00.123456789Z","bids":[{"price":"155.123","liquidity":1000000},{"price":"155.121","liquidity":5000000}],"asks":[{"price":"155.131","liquidity":1000000}],"closeoutBid":"155.119","closeoutAsk":"155.135","status":"tradeable","tradeable":true,"instrument":"USD_JPY"}`;
    const spaced = `{"closeoutAsk": "1.05810", "tradeable": true, "time": "2017-02-23T20:57:21.215739156Z", "bids": [{"price": "1.05794", "liquidity": 10000000.0}], "instrument": "EUR_USD", "asks": [{"price": "1.05806", "liquidity": 10000000.0}], "status": "tradeable", "type": "PRICE", "closeoutBid": "1.05790"}`;
    const heartbeat = `{"type":"HEARTBEAT","time":"2026-11-23T21:00:05.000000001Z"}`;
    const swaps = [..."\"{}[],: 9.-eZ\\"];
    for (const base of [compact, spaced, heartbeat]) {
      for (let at = 0; at < base.length; at++) {
        const s = new PriceLineScanner();
        expect(check(s, base, 1)).toBe(true); // learns the shape
        for (const c of swaps) {
          check(s, base.slice(0, at) + c + base.slice(at + 1), 1);
          check(s, base.slice(0, at) + c + base.slice(at), 1);
          check(s, base.slice(0, at) + base.slice(at + 1), 1);
        }
      }
    }
  });

  it("a line whose bytes would read as NaN doubles (raw 0xFF bytes in a field nobody reads) is read by the full scan every time", () => {
    const s = new PriceLineScanner();
    const head = enc.encode(`{"type":"PRICE","time":"2026-11-23T21:00:00Z","instrument":"USD_JPY","bids":[{"price":"1.5"}],"asks":[{"price":"1.6"}],"x":"`);
    const line = new Uint8Array([...head, ...new Array(24).fill(0xff), ...enc.encode(`"}\n`)]);
    const ref = reference(new TextDecoder().decode(line.subarray(0, -1)), 1);
    for (let i = 0; i < 3; i++) {
      expect(s.scan(line, new DataView(line.buffer), 0, 1)).toBe(PRICE);
      expect({ kind: "price", tick: s.tick }).toEqual(ref);
    }
  });

  it("OANDA's usual compact lines are read by the fast path, the first by the full scan and the rest by its template", () => {
    const s = new PriceLineScanner();
    const lines = [0, 1, 2].map((i) =>
      `{"type":"PRICE","time":"2026-11-23T21:00:0${i}.12345678${i}Z","bids":[{"price":"155.12${i}","liquidity":1000000}],"asks":[{"price":"155.13${i}","liquidity":1000000}],"closeoutBid":"155.11${i}","closeoutAsk":"155.14${i}","status":"tradeable","tradeable":true,"instrument":"USD_JPY"}`);
    for (const l of lines) expect(check(s, l, 5)).toBe(true);
    expect(s.tick).toEqual({ instrument: "USD_JPY", bid: 155.122, ask: 155.132, time: Date.UTC(2026, 10, 23, 21, 0, 2, 123), receivedAt: 5, tradeable: true });
    expect(check(s, `{"type":"HEARTBEAT","time":"2026-11-23T21:00:05.000000001Z"}`, 5)).toBe(true);
    expect(s.time).toBe(Date.UTC(2026, 10, 23, 21, 0, 5));
  });

  it("declines what it cannot read whole, leaving the verdict to the schema path", () => {
    const s = new PriceLineScanner();
    const base = { type: "PRICE", time: "2026-11-23T21:00:00Z", instrument: "USD_JPY", bids: [{ price: "1.5" }], asks: [{ price: "1.6" }] };
    for (const l of [
      JSON.stringify({ ...base, time: "2017-01-01T09:00:00+09:00" }), // an offset: valid, but not the fast path's form
      JSON.stringify({ ...base, bids: [{ price: "-1.5" }] }), // a sign
      JSON.stringify({ ...base, bids: [{ price: 1.5e300 }] }), // an exponent
      JSON.stringify(base).replace("USD_JPY", "USD\\u005fJPY"), // an escape in a field it reads
      `${JSON.stringify(base).slice(0, -1)},"instrument":"EUR_USD"}`, // a key given twice
      `{"__proto__":{"tradeable":true},${JSON.stringify(base).slice(1)}`,
      JSON.stringify({ ...base, bids: [], asks: [] }), // no price at all: the schema path names it
      ` ${JSON.stringify(base)}`,
    ]) {
      expect(s.scan(enc.encode(`${l}\n`), new DataView(enc.encode(`${l}\n`).buffer), 0, 1), l).toBe(DECLINED);
    }
  });

  it.skipIf(!hasSharedData)("OANDA's recorded payloads: every PRICE and HEARTBEAT line read by the fast path, each as the schema path reads it, in any spacing", () => {
    const lines = readShared("oanda", "oandapyV20-stream-testdata", "test_ticks.txt").split("\n").filter((l) => l.trim());
    const objects: unknown[] = lines.map((l) => JSON.parse(l));
    for (const f of ["json_data.stream_price.json", "json_data.stream_price_heartbeat.json", "static.price_stream.json"]) objects.push(readSharedJson("oanda", "async_v20", f));
    const pricing = readSharedJson<Record<string, { response: unknown }>>("oanda", "oandapyV20-responses", "pricing.json");
    for (const item of pricing._v3_accounts_accountID_pricing_stream!.response as unknown[]) objects.push(item);
    // The snapshot's prices carry quoteHomeConversionFactors and unitsAvailable: as stream lines they must read too.
    for (const p of (pricing._v3_accounts_accountID_pricing!.response as { prices: object[] }).prices) objects.push({ type: "PRICE", ...p });
    expect(objects.length).toBeGreaterThan(55);
    const s = new PriceLineScanner();
    let fast = 0;
    for (const o of objects) {
      for (const text of [...lines.filter((l) => JSON.stringify(JSON.parse(l)) === JSON.stringify(o)), JSON.stringify(o), JSON.stringify(o, null, 1).replace(/\n/g, " "), JSON.stringify(o, null, "\t").replace(/\n/g, "\r")]) {
        const read = check(s, text, 9);
        if (read) fast++;
        // Declined only outside its forms: OANDA's UNIX times ("1514852541.189833163").
        const t = (o as { time?: unknown }).time;
        if (typeof t === "string" && t.endsWith("Z")) expect(read, text).toBe(true);
      }
    }
    expect(fast).toBeGreaterThan(150);
  });
});
