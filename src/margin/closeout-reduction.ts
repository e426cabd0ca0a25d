// How much exposure must come off one instrument to put the loss-cut back at a given distance.
// Pure. Two kinds of reduction, in this order:
//   1. net units (the larger side, against the net): each lowers both the NAV's sensitivity to
//      the price and, on the larger side, the margin;
//   2. equal units of both sides (unwinding a hedge lock): |net| is unchanged, margin falls
//      under larger-side margin. Under net margin a pair changes nothing, so it is never asked for.
// Closing realises P/L but leaves NAV as it was (the spread aside), so NAV is held.
import { closeoutDistance, type CloseoutAccount, type CloseoutPosition } from "./closeout.ts";
import { chargedUnits } from "./model.ts";

export interface Reduction {
  /** Units to close against the net (on the larger side). */
  netUnits: number;
  /** Units to close on EACH side together (long and short). */
  pairUnits: number;
  /** Distance after the reduction (null: no move reaches the loss-cut). */
  pipsAfter: number | null;
  /** False when even closing everything counted here does not reach the target. */
  reachesTarget: boolean;
}

/** The account and position after closing `net` units against the net and `pair` of each side. */
function after(pos: CloseoutPosition, acct: CloseoutAccount, net: number, pair: number): { pos: CloseoutPosition; acct: CloseoutAccount } {
  const longNet = pos.long >= pos.short;
  const L = pos.long - pair - (longNet ? net : 0);
  const S = pos.short - pair - (longNet ? 0 : net);
  const freed = (chargedUnits(acct.model, pos.long, pos.short) - chargedUnits(acct.model, L, S)) * pos.conversion * pos.marginRate;
  return { pos: { ...pos, long: L, short: S }, acct: { ...acct, marginUsed: acct.marginUsed - freed } };
}

const far = (pips: number | null, target: number) => pips === null || pips >= target;

/**
 * The least reduction (whole multiples of `step` units) after which the loss-cut is at least
 * `targetPips` away. Closing units never brings the loss-cut nearer, so a bisection finds it.
 */
export function reductionForDistance(pos: CloseoutPosition, acct: CloseoutAccount, targetPips: number, step = 1): Reduction {
  const distance = (net: number, pair: number) => {
    const a = after(pos, acct, net, pair);
    return closeoutDistance(a.pos, a.acct).pips;
  };
  const absNet = Math.abs(pos.long - pos.short);
  const now = distance(0, 0);
  if (far(now, targetPips)) return { netUnits: 0, pairUnits: 0, pipsAfter: now, reachesTarget: true };
  const search = (max: number, at: (u: number) => number | null): number => {
    let lo = 0; // known short of the target
    let hi = Math.floor(max / step) * step;
    if (!far(at(hi), targetPips)) return hi;
    while (hi - lo > step) {
      const mid = Math.floor((lo + hi) / 2 / step) * step;
      if (mid <= lo) break;
      if (far(at(mid), targetPips)) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  const netUnits = search(absNet, (u) => distance(u, 0));
  const afterNet = distance(netUnits, 0);
  if (far(afterNet, targetPips) || acct.model === "net") {
    return { netUnits, pairUnits: 0, pipsAfter: afterNet, reachesTarget: far(afterNet, targetPips) };
  }
  const smaller = Math.min(pos.long, pos.short);
  const pairUnits = search(smaller, (u) => distance(netUnits, u));
  const pipsAfter = distance(netUnits, pairUnits);
  return { netUnits, pairUnits, pipsAfter, reachesTarget: far(pipsAfter, targetPips) };
}
