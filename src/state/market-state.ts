// The agent's view of the market: per instrument a bounded window of recent ticks, the latest
// price and its age, the tradeable flag, and M1 candles built from ticks (seeded from OANDA at
// start). Driven by the caller (onTick, closeDueCandles); it never does I/O or sets timers, so
// the same object runs live on the wall clock and in replay on the data's clock.
import type { Clock, EpochMs, Tick } from "../core/types.ts";
import { type InstrumentTable, toPips } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import { SlidingWindow, summarizeTicks, type WindowSummary } from "./tick-window.ts";
import { TickRing, type TickPoint } from "./tick-ring.ts";
export type { TickPoint } from "./tick-ring.ts";
import { addToCandle, type Candle, closeCandle, M1_MS, minuteStart, openCandle } from "./candles.ts";

export type CandleListener = (instrument: string, candle: Candle) => void;

export type TickRejection = "bad_price" | "crossed" | "out_of_order";

export interface MarketStateOptions {
  instruments: InstrumentTable;
  clock: Clock;
  /** How much receive-time history each tick window keeps (default 120 s). */
  windowMs?: number;
  /** Hard cap on ticks per window, whatever windowMs says (default 20,000). */
  maxTicks?: number;
  /** Closed candles kept per instrument (default 1,000: enough for any indicator used here). */
  maxCandles?: number;
  log?: Logger;
}

const DEFAULT_WINDOW_MS = 120_000;
const NO_CANDLES: readonly Candle[] = Object.freeze([]);

/** A window long enough for the fast scalper's momentum window and the balancer's 5 s mean. */
export function marketWindowMs(c: { FAST_SCALP_WINDOW_SEC: number }): number {
  return Math.max(DEFAULT_WINDOW_MS, Math.ceil(c.FAST_SCALP_WINDOW_SEC * 1000) + 5_000);
}

class InstrumentMarket {
  /** Recent ticks, as typed-array columns (nothing per tick on the JavaScript heap). */
  readonly ticks = new TickRing();
  latest: Tick | undefined;
  latestPoint: TickPoint | undefined;
  /** The tick before the latest, kept even when the window has pruned it (gap detection). */
  previousPoint: TickPoint | undefined;
  current: Candle | undefined;
  /** Closed candles, oldest first: the newest maxCandles. */
  closed: Candle[] = [];
}

export class MarketState {
  readonly #instruments: InstrumentTable;
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #maxTicks: number;
  readonly #maxCandles: number;
  readonly #log: Logger | undefined;
  readonly #markets = new Map<string, InstrumentMarket>();
  readonly #listeners = new Set<CandleListener>();
  readonly #rejected = new Map<TickRejection, number>();

  constructor(o: MarketStateOptions) {
    this.#instruments = o.instruments;
    this.#clock = o.clock;
    this.#windowMs = o.windowMs ?? DEFAULT_WINDOW_MS;
    this.#maxTicks = o.maxTicks ?? 20_000;
    this.#maxCandles = o.maxCandles ?? 1_000;
    this.#log = o.log;
    if (!(this.#windowMs > 0) || !(this.#maxTicks > 0) || !(this.#maxCandles > 0)) {
      throw new Error("MarketState: windowMs, maxTicks and maxCandles must be positive");
    }
  }

  #market(instrument: string): InstrumentMarket {
    let m = this.#markets.get(instrument);
    if (!m) {
      this.#instruments.get(instrument); // unknown or malformed names fail here, loudly
      m = new InstrumentMarket();
      this.#markets.set(instrument, m);
    }
    return m;
  }

  /**
   * Take one tick. Returns the reason when it is refused: non-positive or non-finite prices,
   * a crossed book (bid > ask), or a broker time older than the latest tick's (a late duplicate
   * must not move the price backwards). Refusals are counted, never thrown: one bad price must
   * not stop the feed.
   */
  onTick(tick: Tick): TickRejection | undefined {
    const { bid, ask } = tick;
    if (!Number.isFinite(bid) || !Number.isFinite(ask) || bid <= 0 || ask <= 0 || !Number.isFinite(tick.time)) return this.#reject("bad_price", tick);
    if (bid > ask) return this.#reject("crossed", tick);
    const m = this.#market(tick.instrument);
    if (m.latest && tick.time < m.latest.time) return this.#reject("out_of_order", tick);

    const spec = this.#instruments.get(tick.instrument);
    const point: TickPoint = {
      bid, ask, mid: (bid + ask) / 2, spreadPips: toPips(spec, ask - bid),
      time: tick.time, receivedAt: tick.receivedAt, tradeable: tick.tradeable, receivedMono: tick.receivedMono,
    };
    m.latest = tick;
    m.previousPoint = m.latestPoint;
    m.latestPoint = point;
    m.ticks.push(point);
    m.ticks.prune(tick.receivedAt - this.#windowMs, this.#maxTicks);

    const minute = minuteStart(tick.time);
    if (m.current && m.current.time !== minute) this.#close(tick.instrument, m);
    if (m.current) addToCandle(m.current, bid, ask);
    else m.current = openCandle(tick.time, bid, ask);
    return undefined;
  }

  #reject(reason: TickRejection, tick: Tick): TickRejection {
    this.#rejected.set(reason, (this.#rejected.get(reason) ?? 0) + 1);
    this.#log?.debug({ event: "tick_rejected", reason, instrument: tick.instrument, bid: tick.bid, ask: tick.ask, time: tick.time });
    return reason;
  }

  #close(instrument: string, m: InstrumentMarket): void {
    const c = closeCandle(m.current!);
    m.current = undefined;
    m.closed.push(c);
    // Exactly the newest maxCandles are kept, so a reader can take the array itself
    // (closedCandlesView). shift() on a full array is O(1) in V8 (the store is trimmed at its
    // start, not moved): 40-120 ns a close, where copying the 1,000 kept candles for the reader
    // at every close cost 300-1,200 ns.
    if (m.closed.length > this.#maxCandles) m.closed.shift();
    for (const l of this.#listeners) {
      try {
        l(instrument, c);
      } catch (e) {
        // A listener's bug must not stop the price feed for everyone else.
        this.#log?.error({ event: "candle_listener_error", instrument, err: String(e) });
      }
    }
  }

  /**
   * Close every open candle whose minute has ended on the clock. Candles otherwise close when
   * the first tick of a later minute arrives; the agent calls this about once a second so a
   * quiet instrument's last candle still closes on time.
   */
  closeDueCandles(): void {
    const now = this.#clock.now();
    for (const [instrument, m] of this.#markets) {
      if (m.current && now >= m.current.time + M1_MS) this.#close(instrument, m);
    }
  }

  /** Called with each candle as it closes (built from ticks; seeds do not fire). Returns an unsubscribe. */
  onCandleClosed(listener: CandleListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Bootstrap history, e.g. the broker's candles (candlesFromClient in src/oanda/data.ts). Only complete candles are used (the open
   * minute is rebuilt from ticks), and only those older than anything already built from ticks,
   * so a late seed never overwrites live data. Returns how many were taken.
   */
  seedCandles(instrument: string, candles: readonly Candle[]): number {
    const m = this.#market(instrument);
    const firstLive = m.closed[0]?.time ?? m.current?.time ?? Number.POSITIVE_INFINITY;
    const byTime = new Map<number, Candle>();
    for (const c of candles) {
      if (!c.complete || c.time % M1_MS !== 0 || c.time >= firstLive) continue;
      if (m.closed.some((k) => k.time === c.time)) continue;
      byTime.set(c.time, closeCandle(c));
    }
    const seeds = [...byTime.values()].sort((a, b) => a.time - b.time);
    m.closed = [...seeds, ...m.closed].sort((a, b) => a.time - b.time);
    if (m.closed.length > this.#maxCandles) m.closed.splice(0, m.closed.length - this.#maxCandles);
    return seeds.length;
  }

  /**
   * Closed M1 candles (at most maxCandles), oldest first; the candles are never mutated. Not a
   * copy: the market state's own array, for a reader that is done with it before the next tick
   * or seed (the next close changes it in place).
   */
  closedCandlesView(instrument: string): readonly Candle[] {
    return this.#markets.get(instrument)?.closed ?? NO_CANDLES;
  }

  /** The candle still being built, as a snapshot. */
  currentCandle(instrument: string): Candle | undefined {
    const c = this.#markets.get(instrument)?.current;
    return c ? { ...closeCandle(c), complete: false } : undefined;
  }

  /** When the candle still being built opened (its minute), without copying it; undefined with none open. */
  currentCandleTime(instrument: string): EpochMs | undefined {
    return this.#markets.get(instrument)?.current?.time;
  }

  /** The latest accepted tick as received (satisfies the gate's PriceView). */
  latest(instrument: string): Tick | undefined {
    return this.#markets.get(instrument)?.latest;
  }

  latestPoint(instrument: string): TickPoint | undefined {
    return this.#markets.get(instrument)?.latestPoint;
  }

  /** The accepted tick before the latest one (how long the feed paused before the latest). */
  previousPoint(instrument: string): TickPoint | undefined {
    return this.#markets.get(instrument)?.previousPoint;
  }

  /** Latest mid, or undefined with no price yet (satisfies the margin engine's MidLookup). */
  mid(instrument: string): number | undefined {
    return this.#markets.get(instrument)?.latestPoint?.mid;
  }

  spreadPips(instrument: string): number | undefined {
    return this.#markets.get(instrument)?.latestPoint?.spreadPips;
  }

  /** Clock time since the latest tick was received; undefined with no price yet. */
  priceAgeMs(instrument: string): number | undefined {
    const p = this.#markets.get(instrument)?.latestPoint;
    return p ? this.#clock.now() - p.receivedAt : undefined;
  }

  /** The broker's tradeable flag on the latest price; false with no price yet. */
  tradeable(instrument: string): boolean {
    return this.#markets.get(instrument)?.latestPoint?.tradeable ?? false;
  }

  /** Ticks received at or after `sinceMs` (clock time), oldest first. Bounded by the window. */
  ticksSince(instrument: string, sinceMs: EpochMs): TickPoint[] {
    const r = this.#markets.get(instrument)?.ticks;
    if (!r) return [];
    const out: TickPoint[] = [];
    for (let i = r.firstReceivedSince(sinceMs); i < r.end; i++) if (r.received[i & r.mask]! >= sinceMs) out.push(r.point(i));
    return out;
  }

  /** Mean mid of ticks received at or after `sinceMs`; undefined when there are none. */
  meanMidSince(instrument: string, sinceMs: EpochMs): number | undefined {
    const r = this.#markets.get(instrument)?.ticks;
    if (!r) return undefined;
    // The ticks ticksSince would return, summed in place (no copy), in the same order.
    let n = 0;
    let sum = 0;
    for (let i = r.firstReceivedSince(sinceMs); i < r.end; i++) {
      const k = i & r.mask;
      if (r.received[k]! < sinceMs) continue;
      sum += r.mids[k]!;
      n++;
    }
    return n === 0 ? undefined : sum / n;
  }

  /**
   * A window of the ticks received at or after a moving `since`, summarised incrementally
   * (count, first/last mids, high/low, moves) for a worker that evaluates on every tick.
   * Each caller keeps its own. Answers what summarizeTicks(ticksSince(...)) would.
   */
  slidingWindow(instrument: string): { summary(sinceMs: EpochMs): WindowSummary } {
    const w = new SlidingWindow(this.#market(instrument).ticks);
    return {
      summary: (sinceMs) => w.summary(sinceMs) ?? summarizeTicks(this.ticksSince(instrument, sinceMs)),
    };
  }

  instrumentsSeen(): string[] {
    return [...this.#markets.keys()];
  }

  /** Refused ticks by reason, for /metrics and the replay report. */
  rejectedTicks(): Record<TickRejection, number> {
    return { bad_price: this.#rejected.get("bad_price") ?? 0, crossed: this.#rejected.get("crossed") ?? 0, out_of_order: this.#rejected.get("out_of_order") ?? 0 };
  }
}
