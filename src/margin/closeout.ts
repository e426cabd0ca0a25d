// The distance to the broker's loss-cut: the adverse move of one instrument's price, in pips,
// that brings the account to margin closeout, everything else unchanged. Pure.
//
// The broker closes every position when `k x marginUsed >= NAV`:
//   japan (OANDA Japan):     k = 1   (marginCloseoutPercent = marginUsed / NAV, closeout at 100%)
//   half  (OANDA UK/global): k = 1/2 (closeout when NAV falls to half the margin used)
// A move of the price p of one instrument changes NAV through the NET units and margin through
// the CHARGED units (|net| under `net`, the larger side under `max_side`), because the broker
// values margin at the current price: margin(p) = marginUsed + charged x r x (c(p) - c(p0)).
import type { MarginModel } from "../core/types.ts";
import { chargedUnits } from "./model.ts";

export const CLOSEOUT_RULES = ["japan", "half"] as const;
export type CloseoutRule = (typeof CLOSEOUT_RULES)[number];

/** k in `k x marginUsed >= NAV`. */
function closeoutFactor(rule: CloseoutRule): number {
  return rule === "japan" ? 1 : 0.5;
}

/** What the broker's marginCloseoutPercent reads under a rule; closeout at 1. */
export function closeoutUsage(rule: CloseoutRule, marginUsed: number, nav: number): number {
  if (!(nav > 0)) return marginUsed > 0 ? Number.POSITIVE_INFINITY : 0;
  return (closeoutFactor(rule) * marginUsed) / nav;
}

/** Where the home currency sits in the pair: it decides how the price moves c and P/L. */
export type HomeSide = "quote" | "base" | "other";

export function homeSide(base: string, quote: string, home: string): HomeSide {
  return quote === home ? "quote" : base === home ? "base" : "other";
}

export interface CloseoutPosition {
  long: number;
  short: number;
  /** Mid price now (quote per base). */
  price: number;
  /** base->home conversion now (the price for a home-quoted pair, 1 when home is the base). */
  conversion: number;
  marginRate: number;
  /** 10^pipLocation: 0.01 for USD_JPY, 0.0001 for EUR_USD. */
  pipSize: number;
  homeSide: HomeSide;
}

export interface CloseoutAccount {
  nav: number;
  /** The broker's account-wide marginUsed (every instrument). */
  marginUsed: number;
  model: MarginModel;
  rule: CloseoutRule;
}

export interface CloseoutDistance {
  /** Adverse move in pips that reaches the loss-cut; 0 when already there; null when no move does. */
  pips: number | null;
  /** The direction of that move: "down" (price falls) or "up". */
  direction: "down" | "up" | null;
  /** The price at which the loss-cut triggers. */
  price: number | null;
}

const NONE: CloseoutDistance = { pips: null, direction: null, price: null };

/**
 * The smallest move of this instrument's price (either direction) at which k x margin >= NAV.
 * P/L of the net units converts at the quote->home factor; for a pair whose BASE is the home
 * currency the factor is 1/price and the P/L is taken as net x (p - p0) / p (exact when the
 * position was opened at p0; the broker's average price is not needed for a distance).
 */
export function closeoutDistance(pos: CloseoutPosition, acct: CloseoutAccount): CloseoutDistance {
  const { price: p0, conversion: c0, marginRate: r, pipSize } = pos;
  if (!(p0 > 0) || !(c0 > 0) || !(r > 0) || !(pipSize > 0) || !(pos.long >= 0) || !(pos.short >= 0) || !Number.isFinite(acct.nav) || !Number.isFinite(acct.marginUsed)) return NONE;
  const k = closeoutFactor(acct.rule);
  const N = pos.long - pos.short;
  const charged = chargedUnits(acct.model, pos.long, pos.short);
  const g0 = k * acct.marginUsed - acct.nav;
  if (g0 >= 0) return { pips: 0, direction: N < 0 ? "up" : "down", price: p0 };

  if (pos.homeSide !== "base") {
    // c(p) = a p and P/L = N a (p - p0) with a = c0 / p0 constant: g is linear in p.
    const a = c0 / p0;
    const slope = a * (k * charged * r - N);
    if (slope === 0) return NONE;
    const dp = -g0 / slope; // signed price change at which g = 0
    if (dp < 0 && -dp >= p0) return NONE; // the price would have to reach zero
    return result(p0, dp, pipSize);
  }
  // Home is the base: c = 1 (margin does not move), P/L = N (p - p0) / p. g(p) = g0 - N (p - p0) / p.
  // Long: falls hurt, g = 0 at p = p0 N / (N + g0)... solved directly: N (1 - p0/p) = g0.
  if (N === 0) return NONE;
  const ratio = 1 - g0 / N; // p0 / p
  if (!(ratio > 0)) return NONE; // a short would need the price to go to infinity
  return result(p0, p0 / ratio - p0, pipSize);
}

function result(p0: number, dp: number, pipSize: number): CloseoutDistance {
  return { pips: Math.abs(dp) / pipSize, direction: dp < 0 ? "down" : "up", price: p0 + dp };
}

export interface AccountCloseout {
  rule: CloseoutRule;
  /** k x marginUsed / NAV: what marginCloseoutPercent reads under the rule; closeout at 1. */
  usage: number;
  /** The nearest loss-cut over the instruments: the smallest per-instrument distance. */
  pips: number | null;
  instrument: string | null;
  direction: "down" | "up" | null;
}

/**
 * The account's distance: the instrument whose own move reaches the loss-cut first. Moves of
 * several instruments at once (a USD move across USD pairs) can be closer; the per-instrument
 * figures are what the broker's arithmetic gives exactly.
 */
export function accountCloseout(acct: CloseoutAccount, per: Array<{ instrument: string; distance: CloseoutDistance }>): AccountCloseout {
  let best: { instrument: string; distance: CloseoutDistance } | undefined;
  for (const x of per) {
    if (x.distance.pips === null) continue;
    if (!best || x.distance.pips < best.distance.pips!) best = x;
  }
  const usage = closeoutUsage(acct.rule, acct.marginUsed, acct.nav);
  return { rule: acct.rule, usage, pips: best?.distance.pips ?? (usage >= 1 ? 0 : null), instrument: best?.instrument ?? null, direction: best?.distance.direction ?? null };
}
