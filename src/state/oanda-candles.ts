// Maps the body of OANDA's GET /v3/instruments/{instrument}/candles (or the account-scoped
// variant) to our Candle type, so the market state can be bootstrapped at start. Pure: the OANDA
// adapter fetches, this only parses. Bad input gets one clear error naming what is wrong.
import { z } from "zod";
import type { Candle, Ohlc } from "./candles.ts";
import type { CandleBA } from "../oanda/client.ts";

const priceValue = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    ctx.addIssue({ code: "custom", message: `expected a positive price, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

const ohlcSchema = z.object({ o: priceValue, h: priceValue, l: priceValue, c: priceValue });

const candleSchema = z.object({
  time: z.union([z.string(), z.number()]),
  volume: z.coerce.number().int().nonnegative().default(0),
  complete: z.boolean().default(true),
  mid: ohlcSchema.optional(),
  bid: ohlcSchema.optional(),
  ask: ohlcSchema.optional(),
});

const responseSchema = z.object({
  instrument: z.string().optional(),
  granularity: z.string().optional(),
  candles: z.array(candleSchema),
});

export type OandaCandlesResponse = z.input<typeof responseSchema>;

/**
 * OANDA sends times as RFC 3339 with nanoseconds ("2017-12-20T03:55:05.000000000Z") or, with
 * Accept-Datetime-Format: UNIX, as seconds with nanoseconds ("1509126185.000000000").
 * Fractions are cut to milliseconds by hand: not every runtime's Date.parse takes nine digits.
 */
export function parseOandaTime(v: string | number): number {
  if (typeof v === "number") return Math.round(v * 1000);
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  const t = m ? Date.parse(`${m[1]}.${(m[2] ?? "0").padEnd(3, "0").slice(0, 3)}${m[3]}`) : Number.NaN;
  if (!Number.isFinite(t)) throw new Error(`bad candle time ${JSON.stringify(v)}: expected RFC 3339 or UNIX seconds`);
  return t;
}

function toOhlc(d: { o: number; h: number; l: number; c: number }): Ohlc {
  return { open: d.o, high: d.h, low: d.l, close: d.c };
}

function midOf(b: Ohlc, a: Ohlc): Ohlc {
  return { open: (b.open + a.open) / 2, high: (b.high + a.high) / 2, low: (b.low + a.low) / 2, close: (b.close + a.close) / 2 };
}

/**
 * Parse a candles response. With `granularity` given, a response of another granularity is
 * refused (seeding M1 state with H1 bars would corrupt every indicator). Each candle needs mid,
 * or both bid and ask (mid is then their average). Result is sorted by time.
 */
export function parseOandaCandles(body: unknown, opts: { granularity?: string } = {}): Candle[] {
  const r = responseSchema.safeParse(body);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`bad OANDA candles response at ${i.path.join(".") || "body"}: ${i.message}`);
  }
  const { granularity, candles } = r.data;
  if (opts.granularity && granularity && granularity !== opts.granularity) {
    throw new Error(`OANDA candles response has granularity ${granularity}, expected ${opts.granularity}`);
  }
  const out = candles.map((c, i): Candle => {
    const bid = c.bid ? toOhlc(c.bid) : undefined;
    const ask = c.ask ? toOhlc(c.ask) : undefined;
    const mid = c.mid ? toOhlc(c.mid) : bid && ask ? midOf(bid, ask) : undefined;
    if (!mid) throw new Error(`bad OANDA candles response at candles.${i}: needs mid, or bid and ask (request price=M, BA or MBA)`);
    let time: number;
    try {
      time = parseOandaTime(c.time);
    } catch (e) {
      throw new Error(`bad OANDA candles response at candles.${i}.time: ${(e as Error).message}`);
    }
    return { time, mid, ...(bid ? { bid } : {}), ...(ask ? { ask } : {}), volume: c.volume, complete: c.complete };
  });
  return out.sort((a, b) => a.time - b.time);
}

/** A candle as the OANDA client already parsed it: numbers, and `time` in epoch milliseconds. */
export type ParsedQuoteCandle = CandleBA;

/**
 * Candles from `OandaClient.candles()` (already validated, times already in ms — not to be run
 * through parseOandaCandles, which reads numbers as UNIX seconds). Incomplete candles and ones
 * without a mid (or bid and ask) are left out; sorted by time.
 */
export function candlesFromClient(list: readonly ParsedQuoteCandle[]): Candle[] {
  const out: Candle[] = [];
  for (const c of list) {
    if (!c.complete) continue;
    const bid = c.bid ? toOhlc(c.bid) : undefined;
    const ask = c.ask ? toOhlc(c.ask) : undefined;
    const mid = c.mid ? toOhlc(c.mid) : bid && ask ? midOf(bid, ask) : undefined;
    if (!mid) continue;
    out.push({ time: c.time, mid, ...(bid ? { bid } : {}), ...(ask ? { ask } : {}), volume: c.volume, complete: true });
  }
  return out.sort((a, b) => a.time - b.time);
}
