// GET {stream}/v3/accounts/{id}/pricing/stream?instruments=...: PRICE lines become Ticks stamped
// with receivedAt (our clock), so every price's age is known; HEARTBEAT lines prove life.
// Callbacks, not an iterator: a slow consumer must not hold the connection's read loop hostage
// any longer than its own callback takes. The body is read chunk by chunk (price-chunks.ts): the
// lines of a chunk in one synchronous pass, each PRICE/HEARTBEAT line read from the bytes by the
// fast path, every other line by the schema path; all the lines of one chunk share its receipt
// stamps (wall clock and monotonic), taken when the chunk was read.
import type { EpochMs, Tick } from "../core/types.ts";
import { ResilientStream, type StreamCommonOptions, type StreamState } from "./resilient-stream.ts";
import { describeCause } from "./errors.ts";
import { HEARTBEAT, MALFORMED, NONE, PRICE, PricingLineReader } from "./price-chunks.ts";

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
    this.#core = new ResilientStream("pricing", o, {
      path: () => {
        const q = new URLSearchParams({ instruments: o.instruments.join(","), snapshot: String(o.snapshot ?? true) });
        return `/v3/accounts/${encodeURIComponent(o.accountId)}/pricing/stream?${q}`;
      },
      readBody: () => {
        const reader = new PricingLineReader();
        return (chunk, receivedAt, signal) => {
          if (chunk) reader.feed(chunk);
          else reader.end();
          return this.#drain(reader, receivedAt, performance.now(), signal, 0);
        };
      },
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

  /**
   * Every complete line fed so far: synchronous unless onTick returns a promise (then the rest of
   * the chunk waits for it). Returns the number of lines read.
   */
  #drain(r: PricingLineReader, receivedAt: EpochMs, mono: number, signal: AbortSignal, lines: number): number | Promise<number> {
    // The lines of a chunk share receivedAt and mostly one instrument: the state is written when
    // what it would be given differs from the last write of this pass (a keyed write per line
    // cost more than parsing a tenth of the line).
    let wrote: string | undefined;
    let wroteTradeable = false;
    for (let k = r.next(receivedAt, mono); k !== NONE; k = r.next(receivedAt, mono)) {
      lines++;
      if (k === PRICE) {
        const tick = r.tick!;
        if (tick.instrument !== wrote || tick.tradeable !== wroteTradeable) {
          this.state.lastPriceAt[tick.instrument] = receivedAt;
          this.state.tradeable[tick.instrument] = tick.tradeable;
          wrote = tick.instrument;
          wroteTradeable = tick.tradeable;
        }
        let done: void | Promise<void>;
        try {
          done = this.o.onTick(tick);
        } catch (e) {
          if (signal.aborted) throw e;
          // A handler bug is not a dead stream; count it like a bad line.
          this.#core.malformed("handler_error", describeCause(e));
          continue;
        }
        if (done !== undefined && typeof (done as Promise<void>).then === "function") {
          const n = lines;
          return (done as Promise<void>).then(
            () => this.#drain(r, receivedAt, mono, signal, n),
            (e: unknown) => {
              if (signal.aborted) throw e;
              this.#core.malformed("handler_error", describeCause(e));
              return this.#drain(r, receivedAt, mono, signal, n);
            },
          );
        }
      } else if (k === HEARTBEAT) {
        this.state.lastHeartbeatAt = receivedAt;
        this.o.onHeartbeat?.(r.time);
      } else if (k === MALFORMED) {
        this.#core.malformed(r.reason, r.detail);
      }
    }
    return lines;
  }
}
