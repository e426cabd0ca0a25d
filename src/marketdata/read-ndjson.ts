// The NDJSON the v20 pricing stream emits (and `sekisho`'s own recordings of it): one JSON object
// a line, PRICE lines with bids/asks/time (RFC 3339, nanoseconds allowed), HEARTBEAT lines
// skipped. The top of book (bids[0], asks[0]) is the price; closeoutBid/Ask are the fallback.
import { forEachLine } from "./read-tick-csv.ts";
import { bump, keepMonotonic, parseTimestamp, type ReplayTick, type TickSource } from "./ticks.ts";

type Json = Record<string, unknown>;

function topPrice(levels: unknown, fallback: unknown): number {
  const first = Array.isArray(levels) ? (levels[0] as Json | undefined) : undefined;
  const v = first?.price ?? fallback;
  return typeof v === "string" || typeof v === "number" ? Number(v) : Number.NaN;
}

/** Ticks of every instrument in the stream; the caller keeps the ones it replays. */
export function parsePricingNdjson(text: string): TickSource {
  const skipped: Record<string, number> = {};
  const ticks: ReplayTick[] = [];
  let rows = 0;
  let instrument: string | undefined;
  forEachLine(text, (line) => {
    rows++;
    let o: Json;
    try {
      o = JSON.parse(line) as Json;
    } catch {
      return bump(skipped, "unparseable");
    }
    if (!o || typeof o !== "object") return bump(skipped, "unparseable");
    if (o.type === "HEARTBEAT") return bump(skipped, "heartbeat");
    if (o.type !== undefined && o.type !== "PRICE") return bump(skipped, `type_${String(o.type)}`);
    const time = typeof o.time === "string" ? parseTimestamp(o.time) : undefined;
    const bid = topPrice(o.bids, o.closeoutBid);
    const ask = topPrice(o.asks, o.closeoutAsk);
    if (typeof o.instrument !== "string" || time === undefined || !(bid > 0) || !(ask > 0)) return bump(skipped, "unparseable");
    if (ask < bid) return bump(skipped, "crossed");
    instrument ??= o.instrument;
    const tradeable = typeof o.tradeable === "boolean" ? o.tradeable : typeof o.status === "string" ? o.status === "tradeable" : true;
    ticks.push({ instrument: o.instrument, time, bid, ask, tradeable });
  });
  return { format: "oanda-ndjson", ticks: keepMonotonic(ticks, skipped), rows, skipped, instrument };
}
