// Candlesticks from the simulator's own tick history; before the first tick they are
// synthesised by a seeded random walk that ends at the first real price, so bootstrapping
// clients always get `count` candles and the same request gives the same answer.
import type { InstrumentSpec } from "../core/types.ts";
import { fmtPrice, fmtTime } from "./format.ts";
import { hashSeed, normal, seededRandom } from "./prng.ts";
import type { TickSeries } from "./tick-history.ts";

/** Granularities the simulator serves, in seconds. D is aligned to 00:00 UTC (OANDA: 17:00 New York). */
export const GRANULARITY_SECONDS: Record<string, number> = {
  S5: 5, S10: 10, S15: 15, S30: 30, M1: 60, M2: 120, M4: 240, M5: 300, M10: 600, M15: 900, M30: 1800,
  H1: 3600, H2: 7200, H3: 10800, H4: 14400, H6: 21600, H8: 28800, H12: 43200, D: 86400,
};

export interface CandleRequest {
  instrument: string;
  spec: InstrumentSpec;
  ticks: TickSeries;
  granularity: string;
  count: number;
  /** Any combination of M, B, A. */
  price: string;
  from?: number;
  to?: number;
  now: number;
}

interface Ohlc {
  o: number;
  h: number;
  l: number;
  c: number;
}

interface Bucket {
  start: number;
  bid: Ohlc;
  ask: Ohlc;
  volume: number;
}

/** Volatility of the synthetic walk: about 0.3 pip per sqrt(second), USD/JPY-like. */
const SIGMA_PIPS_PER_SQRT_SEC = 0.3;
const SYNTH_SPREAD_PIPS = 0.8;

export function buildCandles(r: CandleRequest): Record<string, unknown>[] {
  const g = GRANULARITY_SECONDS[r.granularity]! * 1000;
  const real = aggregate(r.ticks, g);
  const t = r.ticks;
  const any = t.time.length > 0;
  const firstBucket = any ? Math.floor(t.time[0]! / g) * g : Math.floor(r.now / g) * g;
  const synth = synthesiser(r, g, firstBucket, any ? (t.bid[0]! + t.ask[0]!) / 2 : undefined);
  const nowBucket = Math.floor(r.now / g) * g;
  const out: Bucket[] = [];
  if (r.from !== undefined) {
    const last = Math.min(nowBucket, r.to !== undefined ? Math.floor((r.to - 1) / g) * g : nowBucket);
    for (let b = Math.floor(r.from / g) * g; b <= last && out.length < r.count; b += g) {
      const c = b < firstBucket ? synth(b) : real.get(b);
      if (c) out.push(c);
    }
  } else {
    const end = Math.min(nowBucket, r.to !== undefined ? Math.floor((r.to - 1) / g) * g : nowBucket);
    // Walk back; buckets without ticks inside the history are skipped, as OANDA skips them.
    for (let b = end; out.length < r.count; b -= g) {
      const c = b < firstBucket ? synth(b) : real.get(b);
      if (c) out.unshift(c);
    }
  }
  return out.map((b) => render(b, r, g));
}

function aggregate(ticks: TickSeries, g: number): Map<number, Bucket> {
  const m = new Map<number, Bucket>();
  const { time, bid: bids, ask: asks } = ticks;
  for (let i = 0; i < time.length; i++) {
    const bid = bids[i]!;
    const ask = asks[i]!;
    const b = Math.floor(time[i]! / g) * g;
    const c = m.get(b);
    if (!c) {
      m.set(b, { start: b, bid: { o: bid, h: bid, l: bid, c: bid }, ask: { o: ask, h: ask, l: ask, c: ask }, volume: 1 });
      continue;
    }
    step(c.bid, bid);
    step(c.ask, ask);
    c.volume += 1;
  }
  return m;
}

function step(o: Ohlc, x: number): void {
  if (x > o.h) o.h = x;
  if (x < o.l) o.l = x;
  o.c = x;
}

/** Synthetic buckets before the history: walk back from the first real mid, one seeded step per bucket. */
function synthesiser(r: CandleRequest, g: number, firstBucket: number, firstMid: number | undefined) {
  const pip = 10 ** r.spec.pipLocation;
  const sigma = SIGMA_PIPS_PER_SQRT_SEC * pip * Math.sqrt(g / 1000);
  const spread = SYNTH_SPREAD_PIPS * pip;
  const closes = new Map<number, number>();
  let cursor = firstBucket;
  let price = firstMid ?? 150;
  const closeAt = (b: number): number => {
    while (cursor > b) {
      cursor -= g;
      closes.set(cursor, price);
      const rand = seededRandom(hashSeed(r.instrument, r.granularity, cursor));
      price = Math.max(pip, price - normal(rand) * sigma);
    }
    return closes.get(b)!;
  };
  return (b: number): Bucket => {
    const c = closeAt(b);
    const o = closeAt(b - g); // open = previous close, so the walk is continuous
    const rand = seededRandom(hashSeed(r.instrument, r.granularity, b, "hl"));
    const h = Math.max(o, c) + Math.abs(normal(rand)) * sigma * 0.4;
    const l = Math.min(o, c) - Math.abs(normal(rand)) * sigma * 0.4;
    const volume = 1 + Math.floor(rand() * Math.min(500, 4 * (g / 1000)));
    const half = spread / 2;
    return {
      start: b, volume,
      bid: { o: o - half, h: h - half, l: l - half, c: c - half },
      ask: { o: o + half, h: h + half, l: l + half, c: c + half },
    };
  };
}

function render(b: Bucket, r: CandleRequest, g: number): Record<string, unknown> {
  const f = (x: Ohlc) => ({ o: fmtPrice(r.spec, x.o), h: fmtPrice(r.spec, x.h), l: fmtPrice(r.spec, x.l), c: fmtPrice(r.spec, x.c) });
  const out: Record<string, unknown> = { complete: b.start + g <= r.now, volume: b.volume, time: fmtTime(b.start) };
  if (r.price.includes("B")) out.bid = f(b.bid);
  if (r.price.includes("A")) out.ask = f(b.ask);
  if (r.price.includes("M")) {
    const m = (k: keyof Ohlc) => (b.bid[k] + b.ask[k]) / 2;
    out.mid = f({ o: m("o"), h: m("h"), l: m("l"), c: m("c") });
  }
  return out;
}
