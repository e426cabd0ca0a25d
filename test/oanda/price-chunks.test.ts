// The pricing stream's body reader (price-chunks.ts) against the text route it replaced
// (NdjsonLineSplitter + parsePricingLine per line): for any body cut into chunks anywhere
// (mid-line, mid-UTF-8 character), the same results in the same order, a malformed line counted
// and skipped, blank lines and CRLF endings handled, a byte-order mark dropped at the start only.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { HEARTBEAT, MALFORMED, NONE, PRICE, PricingLineReader } from "../../src/oanda/price-chunks.ts";
import { MAX_LINE_CHARS, NdjsonLineSplitter } from "../../src/oanda/ndjson.ts";
import { parsePricingLine, type PricingLine } from "../../src/oanda/price-line.ts";
import { hasSharedData, readShared } from "../helpers/shared-data.ts";
import { heartbeatObj, mutate, priceObj, serialize } from "./price-lines.gen.ts";

const enc = new TextEncoder();

/** Every result the reader gives for the body cut into these chunks. */
function viaReader(chunks: Uint8Array[], receivedAt: number): PricingLine[] {
  const r = new PricingLineReader();
  const out: PricingLine[] = [];
  const drain = () => {
    for (let k = r.next(receivedAt); k !== NONE; k = r.next(receivedAt)) {
      if (k === PRICE) out.push({ kind: "price", tick: r.tick! });
      else if (k === HEARTBEAT) out.push({ kind: "heartbeat", time: r.time });
      else if (k === MALFORMED) out.push({ kind: "malformed", reason: r.reason, detail: r.detail });
    }
  };
  for (const c of chunks) {
    r.feed(c);
    drain();
  }
  r.end();
  drain();
  return out;
}

/** The text route: a streaming decoder and line splitter, then the schema path per line. */
function viaText(chunks: Uint8Array[], receivedAt: number): PricingLine[] {
  const s = new NdjsonLineSplitter();
  const lines = chunks.flatMap((c) => s.push(c));
  lines.push(...s.end());
  return lines.map((l) => parsePricingLine(l, receivedAt));
}

function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.slice(from, p));
    from = p;
  }
  out.push(bytes.slice(from));
  return out;
}

const lineText = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.oneof(priceObj, heartbeatObj), fc.array(fc.nat(1000), { maxLength: 6 })).map(([o, ch]) => serialize(o, ch)) },
  { weight: 2, arbitrary: fc.tuple(priceObj, fc.array(fc.nat(1000), { maxLength: 6 })).chain(([o, ch]) => mutate(serialize(o, ch))) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "\r", "\t \u00a0", "{nope", "\uFEFF{}", "日本", "\ud800", "null", "[]") },
);
const ending = fc.constantFrom("\n", "\n", "\n", "\r\n", "\n\n");

describe("PricingLineReader", () => {
  it("property: a body cut into chunks anywhere gives what the text route gives, line for line", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(lineText, ending), { maxLength: 12 }), fc.boolean(), fc.boolean(), fc.array(fc.nat(100_000), { maxLength: 12 }), (lines, bom, lastNewline, at) => {
        let body = lines.map(([l, e]) => l + e).join("");
        if (!lastNewline) body = body.replace(/\r?\n+$/, "");
        const bytes = enc.encode((bom ? "\uFEFF" : "") + body);
        const chunks = cut(bytes, at);
        expect(viaReader(chunks, 3)).toEqual(viaText(chunks, 3));
      }),
      { numRuns: 1_500 },
    );
  });

  it("undecodable bytes and characters cut between chunks read as the streaming decoder reads them", () => {
    const line = enc.encode(`{"type":"PRICE","time":"2026-11-23T21:00:00Z","instrument":"USD_JPY","bids":[{"price":"1.5"}],"asks":[{"price":"1.6"}],"note":"円"}\n`);
    const body = new Uint8Array([...line, 0xff, 0xc3, 10, 0xe5, 0x86, ...line, 0xef, 0xbb, 0xbf, ...line]);
    for (let a = 0; a <= body.length; a++) {
      const chunks = [body.slice(0, a), body.slice(a)];
      expect(viaReader(chunks, 1)).toEqual(viaText(chunks, 1));
    }
    expect(viaReader([body], 1).map((r) => r.kind)).toEqual(["price", "malformed", "malformed", "malformed"]);
  });

  it("a runaway line without newlines is dropped and counted as malformed, and the next line survives", () => {
    const r = new PricingLineReader();
    const junk = new Uint8Array(64 * 1024).fill(0x61);
    const n = Math.ceil(MAX_LINE_CHARS / junk.length) + 1;
    for (let i = 0; i < n; i++) {
      r.feed(junk);
      expect(r.next(1)).toBe(NONE);
    }
    r.feed(enc.encode(`xyz\n{"type":"HEARTBEAT","time":"2026-11-23T21:00:00Z"}\n`));
    expect(r.next(1)).toBe(MALFORMED);
    expect(r.reason).toBe("line_too_long");
    expect(r.next(1)).toBe(HEARTBEAT);
    expect(r.next(1)).toBe(NONE);
    expect(r.oversized).toBe(1);
  });

  it.skipIf(!hasSharedData)("OANDA's recorded stream split at every byte boundary: every line read by the fast path, as the text route reads it", () => {
    const bytes = enc.encode(readShared("oanda", "oandapyV20-stream-testdata", "test_ticks.txt"));
    const whole = viaText([bytes], 1);
    expect(whole.filter((x) => x.kind === "malformed")).toEqual([]);
    for (let a = 0; a <= bytes.length; a += 7) {
      const r = new PricingLineReader();
      const chunks = [bytes.slice(0, a), bytes.slice(a)];
      const got: PricingLine[] = [];
      for (const c of [...chunks, undefined]) {
        if (c) r.feed(c);
        else r.end();
        for (let k = r.next(1); k !== NONE; k = r.next(1)) got.push(k === PRICE ? { kind: "price", tick: r.tick! } : { kind: "heartbeat", time: r.time });
      }
      expect(got).toEqual(whole);
      expect(r.declined).toBe(1); // only the body's first line goes the schema path (it may start with a byte-order mark)
    }
  });
});
