// Closing units on BOTH sides of one instrument (a hedge-lock unwind, a flatten) so that no step
// ever leaves |net| or margin above where they were. Pure: the gate plans, src/execution carries
// the plan out (src/execution/pair-close.ts).
//
// - One request when OANDA allows it: PUT /positions/{instrument}/close with longUnits and
//   shortUnits together is done whole or not at all. It closes each side oldest trade first
//   (FIFO), so it is used only when the units it would take are all sekisho's own.
// - Otherwise sekisho's own trades are closed by id, in legs ordered so that after every leg
//   |net| <= |net before| (and so margin, under either model, is no higher): the heavier side
//   first, then alternating. A leg that fails or is halted stops the rest, and every state on
//   the way is within those bounds, so stopping anywhere is safe.
import type { TradeClose } from "../core/orders.ts";
import { floorUnits } from "../core/instruments.ts";
import type { PairCloseOrder, PairLeg } from "../execution/pair-close.ts";
import type { TradeView } from "../state/account-state.ts";

export type PairClosePlan =
  | PairCloseOrder
  | { kind: "none"; reason: "nothing_to_close" | "manual_trades_first"; detail: Record<string, unknown> };

export interface PairCloseInput {
  instrument: string;
  /** Every open trade of the account (manual ones included: FIFO counts them). */
  trades: readonly TradeView[];
  /** Broker position of the instrument (all trades). */
  long: number;
  short: number;
  /** Units wanted off each side (capped at sekisho's own units there). */
  want: { long: number; short: number };
  /** Keep the two sides equal (a hedge-lock unwind leaves |net| exactly as it was). */
  equal: boolean;
  unitsPrecision: number;
  /** The broker can close both sides in one request. */
  canClosePosition: boolean;
}

const byAge = (a: TradeView, b: TradeView) => Number(a.id) - Number(b.id);

/** Do the first `units` of this side, oldest first, belong to sekisho only? */
function fifoIsOwn(trades: TradeView[], units: number): boolean {
  let left = units;
  for (const t of trades) {
    if (left <= 0) return true;
    if (t.pocket === "manual") return false;
    left -= t.units;
  }
  return left <= 0;
}

/** Take `units` from own trades oldest first, after `skip` units already taken. */
function take(own: TradeView[], skip: number, units: number): TradeClose[] {
  const out: TradeClose[] = [];
  let s = skip;
  let left = units;
  for (const t of own) {
    if (left <= 0) break;
    const avail = t.units - Math.min(s, t.units);
    s = Math.max(0, s - t.units);
    if (avail <= 0) continue;
    const u = Math.min(avail, left);
    out.push({ tradeId: t.id, units: u });
    left -= u;
  }
  return out;
}

export function planPairClose(i: PairCloseInput): PairClosePlan {
  const mine = (side: "buy" | "sell") => i.trades.filter((t) => t.instrument === i.instrument && t.side === side).sort(byAge);
  const longs = mine("buy");
  const shorts = mine("sell");
  const ownLong = longs.filter((t) => t.pocket !== "manual");
  const ownShort = shorts.filter((t) => t.pocket !== "manual");
  const sum = (ts: TradeView[]) => ts.reduce((n, t) => n + t.units, 0);
  let a = Math.min(i.want.long, sum(ownLong));
  let b = Math.min(i.want.short, sum(ownShort));
  if (i.equal) a = b = Math.min(a, b);
  a = floorUnits(a, i.unitsPrecision);
  b = floorUnits(b, i.unitsPrecision);
  if (a <= 0 && b <= 0) return { kind: "none", reason: "nothing_to_close", detail: { ownLong: sum(ownLong), ownShort: sum(ownShort) } };

  const bound = Math.abs(i.long - i.short);
  if (i.canClosePosition && fifoIsOwn(longs, a) && fifoIsOwn(shorts, b)) {
    // One request is whole, but its END must keep |net| within the bound too: with a manual
    // trade on the other side (sekisho's shorts hedging a manual long), closing all of
    // sekisho's units would leave the manual trade unhedged. Close only what keeps
    // -bound <= N - a + b <= bound (a shorter FIFO prefix is still sekisho's own).
    const N0 = i.long - i.short;
    if (N0 - a + b > bound) b = floorUnits(bound - N0 + a, i.unitsPrecision);
    if (N0 - a + b < -bound) a = floorUnits(N0 + bound + b, i.unitsPrecision);
    if (a > 0 || b > 0) return { kind: "position", long: a, short: b };
    return { kind: "none", reason: "manual_trades_first", detail: { net: N0, why: "closing sekisho's units would leave a manual trade on the other side unhedged: |net| would rise" } };
  }

  // Trade by trade: |net| stays within the bound |net before| after every leg.
  let N = i.long - i.short;
  let doneLong = 0, doneShort = 0;
  const legs: PairLeg[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    const remLong = a - doneLong;
    const remShort = b - doneShort;
    if (remLong <= 0 && remShort <= 0) break;
    // Closing c longs: N - c >= -bound. Closing c shorts: N + c <= bound.
    const canLong = floorUnits(Math.min(remLong, N + bound), i.unitsPrecision);
    const canShort = floorUnits(Math.min(remShort, bound - N), i.unitsPrecision);
    // The heavier side first: it lowers |net| (and the larger side's margin) before anything else.
    const pick: "long" | "short" | undefined = N > 0 ? (canLong > 0 ? "long" : canShort > 0 ? "short" : undefined) : (canShort > 0 ? "short" : canLong > 0 ? "long" : undefined);
    if (!pick) break;
    if (pick === "long") {
      legs.push({ side: "sell", units: canLong, closes: take(ownLong, doneLong, canLong) });
      doneLong += canLong;
      N -= canLong;
    } else {
      legs.push({ side: "buy", units: canShort, closes: take(ownShort, doneShort, canShort) });
      doneShort += canShort;
      N += canShort;
    }
  }
  if (legs.length === 0) {
    return { kind: "none", reason: "manual_trades_first", detail: { long: a, short: b, net: i.long - i.short, why: "a manual trade is first in line (FIFO) and the position is flat: closing one side alone would raise |net|" } };
  }
  return { kind: "legs", long: doneLong, short: doneShort, legs, unreachable: { long: a - doneLong, short: b - doneShort } };
}

/** The units a signal asks to close on both sides (`meta.pairClose`), or undefined. */
export function pairCloseWanted(meta: Record<string, unknown> | undefined): { long: number; short: number; equal: boolean } | undefined {
  const p = meta?.pairClose as { long?: unknown; short?: unknown; equal?: unknown } | undefined;
  if (!p || typeof p !== "object") return undefined;
  const n = (x: unknown) => (typeof x === "number" && Number.isFinite(x) && x > 0 ? x : 0);
  return { long: n(p.long), short: n(p.short), equal: p.equal === true };
}
