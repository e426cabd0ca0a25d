// The adapter's data role: prices (snapshot and stream), candles, and the account's transactions
// (since an id, and streamed). The one place OANDA's candles become the pipeline's Candle.
import type { Candle, Ohlc } from "../core/candle.ts";
import type { Tick } from "../core/types.ts";
import type { OandaContext } from "./config.ts";
import { OandaResponseError } from "./errors.ts";
import * as S from "./schemas.ts";
import { tickFromPrice } from "./tick.ts";
import { PricingStream, type PricingStreamOptions } from "./pricing-stream.ts";
import { TransactionStream, type TransactionStreamOptions } from "./transaction-stream.ts";

/** Transaction types after which the account (positions, balance, margin) differs. */
export const ACCOUNT_CHANGING: ReadonlySet<string> = new Set([
  "ORDER_FILL", "TRANSFER_FUNDS", "DAILY_FINANCING", "MARGIN_CALL_ENTER", "MARGIN_CALL_EXTEND", "MARGIN_CALL_EXIT",
  "DELAYED_TRADE_CLOSURE", "RESET_RESETTABLE_PL", "TRADE_CLIENT_EXTENSIONS_MODIFY", "CLIENT_CONFIGURE",
]);

/** A candle as the candles endpoint gives it, validated: numbers, `time` in epoch ms. */
export interface CandleBA {
  /** Candle open time, epoch ms. */
  time: number;
  bid?: { o: number; h: number; l: number; c: number };
  ask?: { o: number; h: number; l: number; c: number };
  mid?: { o: number; h: number; l: number; c: number };
  volume: number;
  complete: boolean;
}

export class OandaData {
  constructor(private readonly ctx: OandaContext) {}

  /** A pricing snapshot; each Tick is stamped with receivedAt on this client's clock. */
  async pricing(instruments: string[], signal?: AbortSignal): Promise<Tick[]> {
    if (instruments.length === 0) return [];
    const r = await this.ctx.http.read(`${this.ctx.accountPath}/pricing`, S.pricingResponse, { query: { instruments: instruments.join(",") }, signal });
    const receivedAt = this.ctx.clock.now();
    return r.prices.flatMap((p) => {
      const t = tickFromPrice(p, receivedAt);
      return t ? [t] : [];
    });
  }

  /**
   * Candles (default: M1, bid/ask, 500) for bootstrapping indicators. An answer of another
   * granularity than asked is refused: seeding M1 state with H1 bars would corrupt every indicator.
   */
  async candles(instrument: string, o: { granularity?: string; count?: number; price?: string } = {}, signal?: AbortSignal): Promise<CandleBA[]> {
    const granularity = o.granularity ?? "M1";
    const path = `/v3/instruments/${encodeURIComponent(instrument)}/candles`;
    const r = await this.ctx.http.read(path, S.candlesResponse, { query: { granularity, count: o.count ?? 500, price: o.price ?? "BA" }, signal });
    if (r.granularity && r.granularity !== granularity) throw new OandaResponseError("GET", path, `granularity ${r.granularity}, expected ${granularity}`);
    return r.candles.map(candleBA);
  }

  /**
   * Every transaction after `id` (exclusive), following pages until lastTransactionID is reached
   * (OANDA may bound one answer).
   */
  async transactionsSinceId(id: string, signal?: AbortSignal): Promise<{ transactions: S.Transaction[]; lastTransactionID: string }> {
    const all: S.Transaction[] = [];
    let since = id;
    for (let page = 0; page < 1000; page++) {
      const r = await this.ctx.http.read(`${this.ctx.accountPath}/transactions/sinceid`, S.transactionsResponse, { query: { id: since }, signal });
      all.push(...r.transactions);
      const last = r.transactions.at(-1)?.id;
      if (!last || BigInt(last) >= BigInt(r.lastTransactionID) || last === since) return { transactions: all, lastTransactionID: r.lastTransactionID };
      since = last;
    }
    throw new Error("transactionsSinceId: too many pages");
  }

  /** A pricing stream sharing this client's credentials, fetch and connection limiter. */
  pricingStream(o: Omit<PricingStreamOptions, "streamUrl" | "token" | "accountId">): PricingStream {
    return new PricingStream({ ...this.#streamCommon(), ...o });
  }

  /** A transaction stream that fills reconnect gaps through transactionsSinceId. */
  transactionStream(o: Omit<TransactionStreamOptions, "streamUrl" | "token" | "accountId" | "gapFill">): TransactionStream {
    return new TransactionStream({ ...this.#streamCommon(), gapFill: (since, signal) => this.transactionsSinceId(since, signal), ...o });
  }

  #streamCommon() {
    const { options: o, log, clock, limiter } = this.ctx;
    return { streamUrl: o.streamUrl, token: o.token, accountId: o.accountId, fetch: o.fetch, log, clock, limiter, random: o.random };
  }
}

/**
 * The pipeline's candles from the adapter's: complete ones only (the open minute is rebuilt from
 * ticks), each with a mid (OANDA's, or the average of bid and ask; one with neither is left
 * out), sorted by time.
 */
export function candlesFromClient(list: readonly CandleBA[]): Candle[] {
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

/** One candle of a parsed candles answer as the client hands it on (also the in-process venue's). */
export function candleBA(c: S.Candle): CandleBA {
  return { time: c.time, bid: pick(c.bid), ask: pick(c.ask), mid: pick(c.mid), volume: c.volume, complete: c.complete };
}

/** o/h/l/c alone (the schema lets unknown fields through). */
function pick(x: { o: number; h: number; l: number; c: number } | undefined) {
  return x ? { o: x.o, h: x.h, l: x.l, c: x.c } : undefined;
}

function toOhlc(d: { o: number; h: number; l: number; c: number }): Ohlc {
  return { open: d.o, high: d.h, low: d.l, close: d.c };
}

function midOf(b: Ohlc, a: Ohlc): Ohlc {
  return { open: (b.open + a.open) / 2, high: (b.high + a.high) / 2, low: (b.low + a.low) / 2, close: (b.close + a.close) / 2 };
}
