// Pricing-stream lines parsed per second, as the agent runs them (PricingStream: chunks ->
// lines -> validated ticks -> onTick), against @oanda/v20's own stream handler on the same bytes.
//
// Both read the same chunks from memory, so the figure is parsing, not the network. The chunks
// end on line boundaries because @oanda/v20 3.0.25-0 cannot take anything else: its chunk
// handler passes a partial last line to JSON.parse. Its handler also references a `Price` class
// that pricing.js never defines (a ReferenceError on the first PRICE line); for the comparison
// it is defined as pricing_common.Price, the class the rest of that module uses for prices.
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PricingStream } from "../../src/oanda/pricing-stream.ts";
import { OandaLimiter } from "../../src/oanda/http.ts";
import { median } from "./stats.ts";

const CHUNK_BYTES = 16 * 1024;

export interface ParseInput {
  name: string;
  lines: string[];
}

/** OANDA's recorded stream lines (oandapyV20's test data: 27 PRICE and 22 HEARTBEAT lines). */
export function recordedLines(sharedData: string): string[] | undefined {
  const p = join(sharedData, "oanda", "oandapyV20-stream-testdata", "test_ticks.txt");
  if (!existsSync(p)) return undefined;
  return readFileSync(p, "utf8").split("\n").filter((l) => l.trim().length > 0);
}

/** Compact PRICE lines as OANDA's servers send them, USD_JPY with a moving price. */
export function syntheticPriceLines(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const bid = (155 + Math.sin(i / 40) * 0.3).toFixed(3);
    const ask = (Number(bid) + 0.008).toFixed(3);
    const ns = String(123456789 + i * 7919).padStart(9, "0").slice(-9);
    out.push(JSON.stringify({
      type: "PRICE", time: `2026-11-23T21:${String(i % 60).padStart(2, "0")}:0${i % 10}.${ns}Z`,
      bids: [{ price: bid, liquidity: 1000000 }, { price: (Number(bid) - 0.002).toFixed(3), liquidity: 5000000 }],
      asks: [{ price: ask, liquidity: 1000000 }, { price: (Number(ask) + 0.002).toFixed(3), liquidity: 5000000 }],
      closeoutBid: (Number(bid) - 0.004).toFixed(3), closeoutAsk: (Number(ask) + 0.004).toFixed(3), status: "tradeable", tradeable: true, instrument: "USD_JPY",
    }));
  }
  return out;
}

/** The lines repeated to `total`, cut into ~16 KiB chunks that end on line boundaries. */
export function chunksOf(lines: readonly string[], total: number): { chunks: Uint8Array[]; lines: number; bytes: number } {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let cur = "";
  let bytes = 0;
  for (let i = 0; i < total; i++) {
    cur += `${lines[i % lines.length]}\n`;
    if (cur.length >= CHUNK_BYTES) {
      const c = enc.encode(cur);
      bytes += c.length;
      chunks.push(c);
      cur = "";
    }
  }
  if (cur) {
    const c = enc.encode(cur);
    bytes += c.length;
    chunks.push(c);
  }
  return { chunks, lines: total, bytes };
}

/** Seconds for sekisho's PricingStream to turn every chunk into ticks and heartbeats. */
export async function sekishoOnce(chunks: Uint8Array[], lines: number): Promise<{ seconds: number; ticks: number; heartbeats: number; malformed: number }> {
  let ticks = 0;
  let heartbeats = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let served = false;
  const fakeFetch = (async () => {
    if (served) return new Promise<Response>(() => undefined); // a reconnect after the end: never answers
    served = true;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(ch);
        c.close();
      },
    });
    return new Response(body, { status: 200 });
  }) as unknown as typeof fetch;
  const stream = new PricingStream({
    streamUrl: "http://bench.invalid", token: "t", accountId: "a", instruments: ["USD_JPY"], fetch: fakeFetch,
    limiter: OandaLimiter.unlimited(), heartbeatTimeoutMs: 600_000,
    onTick: () => {
      if (++ticks + heartbeats + stream.state.malformedLines >= lines) done();
    },
    onHeartbeat: () => {
      if (ticks + ++heartbeats + stream.state.malformedLines >= lines) done();
    },
  });
  const t0 = performance.now();
  stream.start();
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  const malformed = stream.state.malformedLines;
  await stream.stop();
  return { seconds, ticks, heartbeats, malformed };
}

/** Seconds for @oanda/v20's pricing.stream handler to turn every chunk into its objects. */
export function oandaV20Once(chunks: Uint8Array[], lines: number): { seconds: number; objects: number } {
  const require = createRequire(import.meta.url);
  const pricingCommon = require("@oanda/v20/pricing_common.js");
  // The missing class (see the top of this file).
  (globalThis as Record<string, unknown>).Price ??= pricingCommon.Price;
  const { Context } = require("@oanda/v20/context.js");
  const ctx = new Context("bench.invalid", 443, false, "bench");
  let objects = 0;
  // The library's transport is node's http.request; this one answers from memory with the chunks.
  ctx.http = {
    request(_o: unknown, onResponse: (res: EventEmitter & { statusCode: number; statusMessage: string; headers: Record<string, string> }) => void) {
      const res = Object.assign(new EventEmitter(), { statusCode: 200, statusMessage: "OK", headers: { "content-type": "application/octet-stream" } });
      const req = { write() {}, on() { return req; }, end() {
        onResponse(res);
        for (const c of chunks) res.emit("data", Buffer.from(c.buffer, c.byteOffset, c.byteLength));
        res.emit("end");
      } };
      return req;
    },
  };
  const t0 = performance.now();
  ctx.pricing.stream("101-001-1-001", { instruments: "USD_JPY" }, () => void objects++, () => undefined);
  const seconds = (performance.now() - t0) / 1000;
  if (objects !== lines) throw new Error(`@oanda/v20 produced ${objects} objects for ${lines} lines`);
  return { seconds, objects };
}

/**
 * What the runtime itself allows on the same bytes, as lines/s: TextDecoder alone (each chunk to
 * a string, nothing else) and JSON.parse alone (each line, already decoded and split, to an
 * object, nothing else). A parser built on JSON.parse cannot beat the second; @oanda/v20 is one.
 */
export function floorsOnce(chunks: Uint8Array[], lines: string[]): { decodeLinesPerSec: number; jsonParseLinesPerSec: number } {
  const dec = new TextDecoder();
  let sink = 0;
  let t0 = performance.now();
  for (const c of chunks) sink += dec.decode(c).length;
  const decodeSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  for (const l of lines) sink += (JSON.parse(l) as { type: string }).type.length;
  const parseSeconds = (performance.now() - t0) / 1000;
  if (sink === 0) throw new Error("nothing read");
  return { decodeLinesPerSec: lines.length / decodeSeconds, jsonParseLinesPerSec: lines.length / parseSeconds };
}

export interface ParseFigure {
  name: string;
  lines: number;
  sekishoLinesPerSec: number;
  v20LinesPerSec: number;
  /** TextDecoder alone and JSON.parse alone on the same bytes (floorsOnce). */
  decodeLinesPerSec: number;
  jsonParseLinesPerSec: number;
  malformed: number;
}

/** Median lines/s of each parser over `runs` runs (after one warm-up run each). */
export async function parseFigure(input: ParseInput, total: number, runs: number): Promise<ParseFigure> {
  const { chunks, lines } = chunksOf(input.lines, total);
  const texts = Array.from({ length: lines }, (_, i) => input.lines[i % input.lines.length]!);
  const s: number[] = [];
  const v: number[] = [];
  const d: number[] = [];
  const j: number[] = [];
  let malformed = 0;
  await sekishoOnce(chunks, lines);
  oandaV20Once(chunks, lines);
  floorsOnce(chunks, texts);
  for (let i = 0; i < runs; i++) {
    const a = await sekishoOnce(chunks, lines);
    malformed = a.malformed;
    s.push(lines / a.seconds);
    v.push(lines / oandaV20Once(chunks, lines).seconds);
    const f = floorsOnce(chunks, texts);
    d.push(f.decodeLinesPerSec);
    j.push(f.jsonParseLinesPerSec);
  }
  return { name: input.name, lines, sekishoLinesPerSec: median(s), v20LinesPerSec: median(v), decodeLinesPerSec: median(d), jsonParseLinesPerSec: median(j), malformed };
}
