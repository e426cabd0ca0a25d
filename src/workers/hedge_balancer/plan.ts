// The hedge balancer's arithmetic. Pure.
// Under `net` margin it is exactly the memo (design.md). Under larger-side margin (`max_side`,
// OANDA v20 hedging accounts) two things differ, both because margin is charged on max(L, S):
//   - the target is on the charged units: desired = max(L, S) - targetCharged (the memo's
//     |net| - targetNet when one side is flat, so a one-sided position plans the same);
//   - a hedge lock (both sides open, |net| < HEDGE_MIN_NET_UNITS) cannot be relieved by a
//     reduce-only order capped at |net|: the plan is an `unwind`, closing equal units of both
//     sides, which leaves |net| as it was and lowers the larger side's margin.
import type { MarginModel, Side } from "../../core/types.ts";

export interface HedgeSettings {
  triggerMarginUsage: number; // HEDGE_TRIGGER_MARGIN_USAGE 0.88
  targetMarginUsage: number; // HEDGE_TARGET_MARGIN_USAGE 0.82
  triggerFreeMarginRatio: number; // HEDGE_TRIGGER_FREE_MARGIN_RATIO 0.08
  minNetUnits: number; // HEDGE_MIN_NET_UNITS 15000
  minHedgeUnits: number; // HEDGE_MIN_HEDGE_UNITS 10000
  maxHedgeUnits: number; // HEDGE_MAX_HEDGE_UNITS 90000
  maxReductionFraction: number; // HEDGE_MAX_REDUCTION_FRACTION 0.55
  minPrice: number; // HEDGE_MIN_PRICE 90 (JPY-quoted pairs)
  /** HEDGE_UNWIND_ENABLED: unwind hedge locks under larger-side margin (default on). */
  unwindEnabled?: boolean;
  /** HEDGE_UNWIND_MAX_UNITS: most units closed on EACH side in one unwind step. */
  unwindMaxUnits?: number;
}

/**
 * The sanity bound for pairs HEDGE_MIN_PRICE does not cover (not JPY-quoted): the 5-second mean
 * must lie within this fraction of the latest mid. A bad tick in the window pulls the mean away
 * from the price the gate will use; no FX major moves 2% in five seconds.
 */
const PRICE_SANITY_FRACTION = 0.02;

export interface HedgeInput {
  marginUsed: number;
  marginAvailable: number;
  /** Net units of the instrument (long - short). */
  net: number;
  /** Open long / short units (needed for larger-side margin; default: the net on one side). */
  long?: number;
  short?: number;
  /** Margin model in force (default `net`: the memo). */
  model?: MarginModel;
  /** Mean mid of the last 5 s of ticks, or undefined when there were none. */
  price: number | undefined;
  marginRate: number;
  /** base->home conversion; equals the price for USD_JPY in a JPY account. */
  conversion?: number;
  /** Quote currency is JPY: HEDGE_MIN_PRICE applies (default true, the memo's USD_JPY). */
  jpyQuoted?: boolean;
  /** Latest mid, for the sanity bound of other pairs. */
  latestMid?: number;
  /** An unwind of this instrument is under way: it goes on below the trigger, down to the target. */
  unwinding?: boolean;
}

type NoneReason = "no_price" | "price_below_min" | "price_out_of_bounds" | "below_trigger" | "net_below_min" | "no_margin_data";

export type HedgePlan =
  | { action: "hedge"; side: Side; units: number; usage: number; freeRatio: number; net: number; targetNet: number; desired: number }
  | { action: "unwind"; units: number; usage: number; freeRatio: number; net: number; targetCharged: number; desired: number }
  | { action: "none"; reason: NoneReason; usage?: number; freeRatio?: number; net: number };

export function planHedge(i: HedgeInput, s: HedgeSettings): HedgePlan {
  const total = i.marginUsed + i.marginAvailable;
  const absNet = Math.abs(i.net);
  const L = i.long ?? Math.max(0, i.net);
  const S = i.short ?? Math.max(0, -i.net);
  const largerSide = i.model === "max_side";
  if (!(total > 0)) return { action: "none", reason: "no_margin_data", net: i.net };
  const usage = i.marginUsed / total;
  const freeRatio = i.marginAvailable / total;
  const lock = largerSide && (s.unwindEnabled ?? true) && absNet < s.minNetUnits && Math.min(L, S) > 0;
  const triggered = usage >= s.triggerMarginUsage || freeRatio <= s.triggerFreeMarginRatio || (lock && i.unwinding === true && usage > s.targetMarginUsage);
  if (!triggered) return { action: "none", reason: "below_trigger", usage, freeRatio, net: i.net };
  if (absNet < s.minNetUnits && !lock) return { action: "none", reason: "net_below_min", usage, freeRatio, net: i.net };
  if (i.price === undefined || !Number.isFinite(i.price)) return { action: "none", reason: "no_price", usage, freeRatio, net: i.net };
  if ((i.jpyQuoted ?? true) && i.price < s.minPrice) return { action: "none", reason: "price_below_min", usage, freeRatio, net: i.net };
  if (!(i.price > 0) || (i.latestMid !== undefined && Math.abs(i.price / i.latestMid - 1) > PRICE_SANITY_FRACTION)) {
    return { action: "none", reason: "price_out_of_bounds", usage, freeRatio, net: i.net };
  }
  const c = i.conversion ?? i.price;
  // Units the margin is charged on, and the charged units that would sit at the target usage.
  const charged = largerSide ? Math.max(L, S) : absNet;
  const targetCharged = (total * s.targetMarginUsage) / (c * i.marginRate);

  if (lock) {
    let desired = charged - targetCharged;
    if (desired <= 0) desired = 0.25 * Math.min(L, S);
    const units = Math.trunc(Math.min(Math.max(s.minHedgeUnits, desired), Math.min(L, S), s.unwindMaxUnits ?? s.maxHedgeUnits));
    return { action: "unwind", units, usage, freeRatio, net: i.net, targetCharged, desired };
  }

  let desired = charged - targetCharged;
  if (desired <= 0) desired = 0.25 * absNet;
  const capped = Math.min(desired, s.maxReductionFraction * absNet, s.maxHedgeUnits);
  const units = Math.trunc(Math.min(Math.max(s.minHedgeUnits, capped), absNet));
  return { action: "hedge", side: i.net > 0 ? "sell" : "buy", units, usage, freeRatio, net: i.net, targetNet: targetCharged, desired };
}
