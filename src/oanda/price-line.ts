// One pricing-stream line as text -> a tick, a heartbeat or a reason to skip it: the route of a
// line the byte-level fast path (price-scan.ts) declines, and the reference it is tested against.
// PRICE and HEARTBEAT lines of the usual shape are read by hand from the JSON.parse'd object with
// cheap type checks (no zod, no regex, no Date.parse); anything else goes through the zod schema,
// which either accepts it (an unusual but valid line) or names what is wrong. Both give the same
// tick for the same line (property-tested against the schema path).
import type { EpochMs, Tick } from "../core/types.ts";
import { fastDecimal, fastTimeMs } from "./fast-scalars.ts";
import { pricingStreamLine } from "./schemas.ts";
import { tickFromPrice } from "./tick.ts";

export type PricingLine =
  | { kind: "heartbeat"; time: EpochMs }
  | { kind: "price"; tick: Tick }
  | { kind: "malformed"; reason: string; detail?: string };

/** Not recognised by the fast path: let zod decide. */
const FALLBACK = Symbol("fallback");

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A decimal as the schema accepts it, or FALLBACK. */
function decimalOf(v: unknown): number | typeof FALLBACK {
  if (typeof v === "string") return fastDecimal(v) ?? FALLBACK;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return FALLBACK;
}

/** Best price of one side (max bid / min ask) or FALLBACK when a level is unusual; NaN when empty. */
function bestOf(levels: unknown[], max: boolean): number | typeof FALLBACK {
  let best = Number.NaN;
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (!isObject(l)) return FALLBACK;
    const p = decimalOf(l.price);
    if (p === FALLBACK) return FALLBACK;
    const liq = l.liquidity;
    if (liq !== undefined && decimalOf(liq) === FALLBACK) return FALLBACK;
    if (i === 0 || (max ? p > best : p < best)) best = p;
  }
  return best;
}

function optionalDecimal(v: unknown): number | undefined | typeof FALLBACK {
  return v === undefined ? undefined : decimalOf(v);
}

function fast(j: unknown, receivedAt: EpochMs): PricingLine | typeof FALLBACK {
  if (!isObject(j)) return FALLBACK;
  const type = j.type;
  const timeText = j.time;
  if (typeof timeText !== "string") return FALLBACK;
  const time = fastTimeMs(timeText);
  if (time === undefined) return FALLBACK;
  if (type === "HEARTBEAT") return { kind: "heartbeat", time };
  if (type !== "PRICE") return FALLBACK;
  const { instrument, bids, asks, status, tradeable } = j;
  if (typeof instrument !== "string" || !Array.isArray(bids) || !Array.isArray(asks)) return FALLBACK;
  if (status !== undefined && typeof status !== "string") return FALLBACK;
  if (tradeable !== undefined && typeof tradeable !== "boolean") return FALLBACK;
  const bestBid = bestOf(bids, true);
  const bestAsk = bestOf(asks, false);
  const closeoutBid = optionalDecimal(j.closeoutBid);
  const closeoutAsk = optionalDecimal(j.closeoutAsk);
  if (bestBid === FALLBACK || bestAsk === FALLBACK || closeoutBid === FALLBACK || closeoutAsk === FALLBACK) return FALLBACK;
  // As tickFromPrice: the best level, else the closeout price; no price at all is not a tick.
  const bid = bids.length ? bestBid : closeoutBid;
  const ask = asks.length ? bestAsk : closeoutAsk;
  if (bid === undefined || ask === undefined) return FALLBACK; // the schema path names it
  const open = (tradeable ?? status === "tradeable") && bids.length > 0 && asks.length > 0;
  return { kind: "price", tick: { instrument, bid, ask, time, receivedAt, tradeable: open } };
}

/** The schema path: the reference for every line, and the one that explains a bad line. */
export function parsePricingLineSlow(json: unknown, line: string, receivedAt: EpochMs): PricingLine {
  const r = pricingStreamLine.safeParse(json);
  if (!r.success) {
    const type = (json as { type?: unknown })?.type;
    return { kind: "malformed", reason: typeof type === "string" ? `invalid_${type}` : "unknown_type", detail: r.error.issues[0]?.message };
  }
  const m = r.data;
  if (m.type === "HEARTBEAT") return { kind: "heartbeat", time: m.time };
  const tick = tickFromPrice(m, receivedAt);
  if (!tick) return { kind: "malformed", reason: "price_without_book", detail: line };
  return { kind: "price", tick };
}

export function parsePricingLine(line: string, receivedAt: EpochMs): PricingLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: "malformed", reason: "invalid_json", detail: line };
  }
  const f = fast(json, receivedAt);
  return f === FALLBACK ? parsePricingLineSlow(json, line, receivedAt) : f;
}
