// GET {stream}/v3/accounts/{id}/pricing/stream?instruments=...: PRICE lines become Ticks stamped
// with receivedAt (our clock), so every price's age is known; HEARTBEAT lines prove life.
// Callbacks, not an iterator: a slow consumer must not hold the connection's read loop hostage
// any longer than its own callback takes.
import type { EpochMs, Tick } from "../core/types.ts";
import { wallClock } from "../core/types.ts";
import { ResilientStream, type StreamCommonOptions, type StreamState, type LineKind } from "./resilient-stream.ts";
import { parsePricingLine } from "./price-line.ts";

export interface PricingStreamState extends StreamState {
  /** receivedAt of the last PRICE per instrument. */
  lastPriceAt: Record<string, EpochMs>;
  /** The last `tradeable` flag per instrument (false on halts and weekends). */
  tradeable: Record<string, boolean>;
}

export interface PricingStreamOptions extends StreamCommonOptions {
  instruments: string[];
  onTick: (tick: Tick) => void | Promise<void>;
  onHeartbeat?: (time: EpochMs) => void;
  /** OANDA's `snapshot` parameter: send the current price on connect (default true). */
  snapshot?: boolean;
}

export class PricingStream {
  readonly #core: ResilientStream;
  readonly state: PricingStreamState;

  constructor(private readonly o: PricingStreamOptions) {
    if (o.instruments.length === 0) throw new Error("pricing stream needs at least one instrument");
    const clock = o.clock ?? wallClock;
    this.#core = new ResilientStream("pricing", o, {
      path: () => {
        const q = new URLSearchParams({ instruments: o.instruments.join(","), snapshot: String(o.snapshot ?? true) });
        return `/v3/accounts/${encodeURIComponent(o.accountId)}/pricing/stream?${q}`;
      },
      handleLine: (line) => this.#line(line, clock.now()),
    });
    // One object: the core's fields plus ours, so /health reads a single snapshot.
    this.state = Object.assign(this.#core.state, { lastPriceAt: {}, tradeable: {} }) as PricingStreamState;
  }

  start(): void {
    this.#core.start();
  }

  stop(): Promise<void> {
    return this.#core.stop();
  }

  get heartbeatTimeoutMs(): number {
    return this.#core.heartbeatTimeoutMs;
  }

  /** Synchronous unless onTick returns a promise (then the stream waits for it before the next line). */
  #line(line: string, receivedAt: EpochMs): LineKind | Promise<LineKind> {
    const r = parsePricingLine(line, receivedAt);
    if (r.kind === "heartbeat") {
      this.o.onHeartbeat?.(r.time);
      return "heartbeat";
    }
    if (r.kind === "malformed") return { malformed: r.reason, detail: r.detail };
    const tick = r.tick;
    tick.receivedMono = performance.now();
    this.state.lastPriceAt[tick.instrument] = receivedAt;
    this.state.tradeable[tick.instrument] = tick.tradeable;
    const done = this.o.onTick(tick);
    return done !== undefined && typeof (done as Promise<void>).then === "function" ? (done as Promise<void>).then(() => "message" as const) : "message";
  }
}
