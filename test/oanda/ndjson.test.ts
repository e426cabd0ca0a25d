// Stream bodies arrive in chunks split anywhere: mid-line and mid-UTF-8-character.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NdjsonLineSplitter, ndjsonLines } from "../../src/oanda/ndjson.ts";
import { hasSharedData, readShared } from "../helpers/shared-data.ts";

const enc = new TextEncoder();

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(bytes.length, c))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

function feed(chunks: Uint8Array[]): string[] {
  const s = new NdjsonLineSplitter();
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
}

// Multi-byte characters (2, 3 and 4 bytes) so cuts land inside characters.
const SAMPLE = [
  '{"type":"HEARTBEAT","time":"2017-02-23T20:57:26.808326703Z"}',
  '{"type":"PRICE","instrument":"USD_JPY","note":"円 ¥ 関所 🚀","bids":[{"price":"157.120","liquidity":1000000}]}',
  '{"type":"ORDER_FILL","id":"42","comment":"é"}',
];

describe("NDJSON line reassembly", () => {
  it("a body split at every single byte boundary yields the same lines", () => {
    const body = enc.encode(SAMPLE.join("\n") + "\n");
    for (let cut = 0; cut <= body.length; cut++) {
      expect(feed(splitAt(body, [cut]))).toEqual(SAMPLE);
    }
    // and one byte per chunk
    expect(feed([...body].map((b) => Uint8Array.of(b)))).toEqual(SAMPLE);
  });

  it.skipIf(!hasSharedData)("the recorded OANDA pricing stream split at every byte boundary parses line for line", () => {
    const text = readShared("oanda", "oandapyV20-stream-testdata", "test_ticks.txt");
    const expected = text.split("\n").filter((l) => l.trim());
    const body = enc.encode(text);
    for (let cut = 0; cut <= body.length; cut += 1) {
      const lines = feed(splitAt(body, [cut]));
      expect(lines.length).toBe(expected.length);
      if (cut % 97 === 0) expect(lines.map((l) => JSON.parse(l))).toEqual(expected.map((l) => JSON.parse(l)));
    }
  });

  it("CRLF endings, blank keep-alive lines and a final line without newline", () => {
    expect(feed([enc.encode('{"a":1}\r\n\n\r\n{"b":2}')])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("property: any split into any number of chunks gives the lines back", () => {
    const line = fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => JSON.stringify({ s }));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (lines, cuts, crlf) => {
        const body = enc.encode(lines.join(crlf ? "\r\n" : "\n") + "\n");
        expect(feed(splitAt(body, cuts.map((c) => c % (body.length + 1))))).toEqual(lines);
      }),
      { numRuns: 500 },
    );
  });

  it("ndjsonLines reads a ReadableStream of arbitrary chunks", async () => {
    const body = enc.encode(SAMPLE.join("\n"));
    const chunks = splitAt(body, [3, 50, 51, 52, 120]);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(ch);
        c.close();
      },
    });
    const got: string[] = [];
    for await (const l of ndjsonLines(stream)) got.push(l);
    expect(got).toEqual(SAMPLE);
  });

  it("a runaway line without newlines is dropped and counted, and the next line survives", () => {
    const s = new NdjsonLineSplitter();
    const big = "x".repeat(600_000);
    const out = [...s.push(enc.encode(big)), ...s.push(enc.encode(big)), ...s.push(enc.encode('tail\n{"ok":1}\n')), ...s.end()];
    expect(out).toEqual(['{"ok":1}']);
    expect(s.oversized).toBe(1);
  });
});
