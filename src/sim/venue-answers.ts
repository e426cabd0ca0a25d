// The in-process venue's small readers of the engine's wire objects (src/sim/in-process-venue.ts):
// decimal strings read as the OANDA client reads them, a fill read without a schema, and a copy
// without undefined members (what an object is after the wire).
import type { OrderOutcome } from "../core/orders.ts";
import type { Json } from "./types.ts";
import type { InstrumentSpec } from "../core/types.ts";
import { roundLikeWire } from "./format.ts";

type Fill = Extract<OrderOutcome, { kind: "filled" }>;

/** A decimal string as the client reads it (parseDecimal: a number, -0 as 0). */
export const num = (s: string): number => {
  const n = Number(s);
  return n === 0 ? 0 : n;
};

/** read(x), remembering the last x: the account's amounts mostly repeat from one read to the next. */
function lastValueMemo(read: (x: number) => number): (x: number) => number {
  let last = Number.NaN;
  let out = Number.NaN;
  return (x) => {
    // === cannot tell -0 from 0, and need not: the wire writes both as 0.
    if (x !== last) {
      out = read(x);
      last = x;
    }
    return out;
  };
}

/** roundLikeWire at a precision the spec gives, remembering the last precision and x. */
function lastSpecValueMemo(precision: (spec: InstrumentSpec) => number): (spec: InstrumentSpec, x: number) => number {
  let lastX = Number.NaN;
  let lastP = Number.NaN;
  let out = Number.NaN;
  return (spec, x) => {
    const p = precision(spec);
    if (x !== lastX || p !== lastP) {
      out = roundLikeWire(x, p);
      lastX = x;
      lastP = p;
    }
    return out;
  };
}

// Each reads a number as the client reads the wire's decimal string for it (num(fmtX(x)):
// roundLikeWire, which is that without the string).
/** Units as the client reads them off the wire (the instrument's unit precision). */
export const wireUnits = (): ((spec: InstrumentSpec, x: number) => number) => lastSpecValueMemo((s) => s.tradeUnitsPrecision);
/** A price as the client reads it off the wire (the instrument's display precision). */
export const wirePrice = (): ((spec: InstrumentSpec, x: number) => number) => lastSpecValueMemo((s) => s.displayPrecision);

/** An account amount as the client reads it off the wire (4 decimals, fmtAmount). */
export const wireAmount = (): ((x: number) => number) => lastValueMemo((x) => roundLikeWire(x, 4));
/** A ratio such as marginCloseoutPercent as the client reads it off the wire (5 decimals, fmtPercent). */
export const wirePercent = (): ((x: number) => number) => lastValueMemo((x) => roundLikeWire(x, 5));

/**
 * The fill of a 201 read straight from the engine's transaction (what fillOutcome reads from the
 * parsed one): ids are strings, decimals the wire's strings. `raw` is a copy of the answer's body.
 */
export function fastFill(body: Json): Fill {
  const fill = body.orderFillTransaction as Json;
  const ref = (x: unknown) => (x as { tradeID: string; price?: string } | undefined);
  const opened = ref(fill.tradeOpened);
  const reduced = ref(fill.tradeReduced);
  const closed = (fill.tradesClosed as { tradeID: string; price?: string }[] | undefined) ?? [];
  const tradeIds = [...(opened ? [String(opened.tradeID)] : []), ...(reduced ? [String(reduced.tradeID)] : []), ...closed.map((t) => String(t.tradeID))];
  const price = fill.price ?? fill.fullVWAP ?? opened?.price ?? reduced?.price ?? closed[0]?.price;
  return {
    kind: "filled", orderId: String(fill.orderID), transactionId: String(fill.id), tradeIds, price: num(String(price)), units: Math.abs(num(String(fill.units))),
    // A copy: the body holds the engine's own transaction records, and the caller owns what it
    // is given (as with a parsed answer), so nothing it does to `raw` can rewrite the ledger. A
    // JSON round trip is that copy as the wire makes it, and quicker than definedOnly's walk.
    time: String(fill.time), lastTransactionID: String(body.lastTransactionID), raw: JSON.parse(JSON.stringify(body)),
  };
}

/** A copy without undefined members, as an object is after the wire (JSON leaves them out). */
export function definedOnly<T>(v: T): T {
  if (Array.isArray(v)) return v.map(definedOnly) as T;
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = definedOnly(x);
    return out as T;
  }
  return v;
}
