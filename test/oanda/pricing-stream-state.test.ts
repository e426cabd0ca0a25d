// The pricing stream's per-instrument state (lastPriceAt, tradeable) is written once per run of
// equal lines within a chunk; whatever the mix of instruments, flags and chunks (and callbacks
// that return promises, which split a chunk's pass), it must end as the last tick of each
// instrument left it.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Tick } from "../../src/core/types.ts";
import { OandaLimiter } from "../../src/oanda/http.ts";
import { PricingStream } from "../../src/oanda/pricing-stream.ts";

const line = (instrument: string, open: boolean, i: number) =>
  `{"type":"PRICE","time":"2026-11-23T21:00:0${i % 10}.123456789Z","bids":[{"price":"1.0${i % 90 + 10}","liquidity":1000000}],"asks":[{"price":"1.0${i % 90 + 11}","liquidity":1000000}],"closeoutBid":"1.0${i % 90 + 9}","closeoutAsk":"1.0${i % 90 + 12}","status":"${open ? "tradeable" : "non-tradeable"}","tradeable":${open},"instrument":"${instrument}"}\n`;

async function run(chunks: string[], asyncAt: Set<number>): Promise<{ ticks: Tick[]; s: PricingStream }> {
  const enc = new TextEncoder();
  const total = chunks.join("").split("\n").length - 1;
  const ticks: Tick[] = [];
  let served = false;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let now = 1_000;
  const s = new PricingStream({
    streamUrl: "http://test.invalid", token: "t", accountId: "a", instruments: ["EUR_USD"], limiter: OandaLimiter.unlimited(), heartbeatTimeoutMs: 600_000,
    clock: { now: () => (now += 7) },
    fetch: (async () => {
      if (served) return new Promise<Response>(() => undefined);
      served = true;
      return new Response(new ReadableStream<Uint8Array>({ start(c) { for (const ch of chunks) c.enqueue(enc.encode(ch)); c.close(); } }), { status: 200 });
    }) as unknown as typeof fetch,
    onTick: (t) => {
      ticks.push(t);
      if (ticks.length === total) done();
      return asyncAt.has(ticks.length) ? Promise.resolve() : undefined;
    },
  });
  s.start();
  await finished;
  await s.stop();
  return { ticks, s };
}

describe("the pricing stream's per-instrument state", () => {
  it("property: after any mix of instruments, flags, chunks and async callbacks, each instrument's state is its last tick's", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.tuple(fc.constantFrom("EUR_USD", "USD_JPY", "GBP_USD"), fc.boolean()), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(40), { maxLength: 4 }),
        async (chunkSpecs, asyncAt) => {
          let i = 0;
          const chunks = chunkSpecs.map((c) => c.map(([inst, open]) => line(inst, open, i++)).join(""));
          const { ticks, s } = await run(chunks, new Set(asyncAt));
          expect(ticks.length).toBe(i);
          const last = new Map<string, Tick>();
          for (const t of ticks) last.set(t.instrument, t);
          expect(Object.keys(s.state.lastPriceAt).sort()).toEqual([...last.keys()].sort());
          for (const [inst, t] of last) {
            expect(s.state.lastPriceAt[inst], inst).toBe(t.receivedAt);
            expect(s.state.tradeable[inst], inst).toBe(t.tradeable);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
