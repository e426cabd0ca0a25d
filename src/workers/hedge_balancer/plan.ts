// The hedge balancer's arithmetic, exactly as the memo and design.md give it. Pure.
import type { Side } from "../../core/types.ts";

export interface HedgeSettings {
  triggerMarginUsage: number; // HEDGE_TRIGGER_MARGIN_USAGE 0.88
  targetMarginUsage: number; // HEDGE_TARGET_MARGIN_USAGE 0.82
  triggerFreeMarginRatio: number; // HEDGE_TRIGGER_FREE_MARGIN_RATIO 0.08
  minNetUnits: number; // HEDGE_MIN_NET_UNITS 15000
  minHedgeUnits: number; // HEDGE_MIN_HEDGE_UNITS 10000
  maxHedgeUnits: number; // HEDGE_MAX_HEDGE_UNITS 90000
  maxReductionFraction: number; // HEDGE_MAX_REDUCTION_FRACTION 0.55
  minPrice: number; // HEDGE_MIN_PRICE 90
}

export interface HedgeInput {
  marginUsed: number;
  marginAvailable: number;
  /** Net units of the instrument (long - short). */
  net: number;
  /** Mean mid of the last 5 s of ticks, or undefined when there were none. */
  price: number | undefined;
  marginRate: number;
  /** base->home conversion; equals the price for USD_JPY in a JPY account. */
  conversion?: number;
}

export type HedgePlan =
  | { action: "hedge"; side: Side; units: number; usage: number; freeRatio: number; net: number; targetNet: number; desired: number }
  | { action: "none"; reason: "no_price" | "price_below_min" | "below_trigger" | "net_below_min" | "no_margin_data"; usage?: number; freeRatio?: number; net: number };

export function planHedge(i: HedgeInput, s: HedgeSettings): HedgePlan {
  const total = i.marginUsed + i.marginAvailable;
  const absNet = Math.abs(i.net);
  if (!(total > 0)) return { action: "none", reason: "no_margin_data", net: i.net };
  const usage = i.marginUsed / total;
  const freeRatio = i.marginAvailable / total;
  const triggered = usage >= s.triggerMarginUsage || freeRatio <= s.triggerFreeMarginRatio;
  if (!triggered) return { action: "none", reason: "below_trigger", usage, freeRatio, net: i.net };
  if (absNet < s.minNetUnits) return { action: "none", reason: "net_below_min", usage, freeRatio, net: i.net };
  if (i.price === undefined || !Number.isFinite(i.price)) return { action: "none", reason: "no_price", usage, freeRatio, net: i.net };
  if (i.price < s.minPrice) return { action: "none", reason: "price_below_min", usage, freeRatio, net: i.net };
  const c = i.conversion ?? i.price;
  const targetNet = (total * s.targetMarginUsage) / (c * i.marginRate);
  let desired = absNet - targetNet;
  if (desired <= 0) desired = 0.25 * absNet;
  const capped = Math.min(desired, s.maxReductionFraction * absNet, s.maxHedgeUnits);
  const units = Math.trunc(Math.min(Math.max(s.minHedgeUnits, capped), absNet));
  return { action: "hedge", side: i.net > 0 ? "sell" : "buy", units, usage, freeRatio, net: i.net, targetNet, desired };
}
