// allowed_lot: the most units that may be added on one side now, and why not more.
// Pure; every input is explicit so the gate, `sekisho size` and the tests share one truth.
import type { MarginModel, Side } from "../core/types.ts";
import { floorUnits } from "../core/instruments.ts";
import { instrumentMargin, marginBudget, oneSideMaxUnits } from "./model.ts";

export type LotReason =
  | "ok"
  | "margin_budget"
  | "dir_cap"
  | "low_free_margin"
  | "hedge_disabled_low_margin"
  | "below_min_units"
  | "bad_input";

export interface LotLimits {
  /** MAX_MARGIN_USAGE (clamped to 0.92 inside). */
  maxMarginUsage: number;
  /** MARGIN_SAFETY_FACTOR */
  safetyFactor: number;
  /** DIR_CAP_RATIO */
  dirCapRatio: number;
  /** MIN_FREE_MARGIN_RATIO */
  minFreeMarginRatio: number;
  /** ALLOW_HEDGE_ON_LOW_MARGIN */
  allowHedgeOnLowMargin: boolean;
}

/** The memo's limits as configured (MAX_MARGIN_USAGE, MARGIN_SAFETY_FACTOR, ...). */
export function lotLimits(c: {
  MAX_MARGIN_USAGE: number; MARGIN_SAFETY_FACTOR: number; DIR_CAP_RATIO: number; MIN_FREE_MARGIN_RATIO: number; ALLOW_HEDGE_ON_LOW_MARGIN: boolean;
}): LotLimits {
  return {
    maxMarginUsage: c.MAX_MARGIN_USAGE, safetyFactor: c.MARGIN_SAFETY_FACTOR, dirCapRatio: c.DIR_CAP_RATIO,
    minFreeMarginRatio: c.MIN_FREE_MARGIN_RATIO, allowHedgeOnLowMargin: c.ALLOW_HEDGE_ON_LOW_MARGIN,
  };
}

export interface LotInput {
  side: Side;
  /** Open long / short units of this instrument, including orders in flight. */
  long: number;
  short: number;
  nav: number;
  /** base->home conversion at mid */
  conversion: number;
  marginRate: number;
  model: MarginModel;
  /**
   * Account-wide margin in use as the broker reports it. Without it, margin comes from the
   * model for this instrument alone. The difference to the model is treated as other margin.
   */
  marginUsed?: number;
  /** Account marginAvailable as the broker reports it; default NAV - margin in use. */
  marginAvailable?: number;
  unitsPrecision: number;
  minUnits: number;
  /** The worker's (or operator's) wish; the result never exceeds it. */
  requestedUnits?: number;
  limits: LotLimits;
}

export interface LotResult {
  side: Side;
  model: MarginModel;
  /** The most units that may be added on `side` now. */
  maxUnits: number;
  /** min(requestedUnits, maxUnits), or maxUnits without a request. */
  allowedUnits: number;
  reason: LotReason;
  /** The constraint that bound maxUnits (reported even when the request was smaller). */
  bindingLimit: Exclude<LotReason, "ok">;
  budget: number;
  oneSideMaxUnits: number;
  dirCapUnits: number;
  marginBefore: number;
  marginAfter: number;
  usageAfter: number;
  freeMarginRatio: number;
  /** True when the entry lowers |net| (the hedging direction). */
  netReducing: boolean;
}

export function allowedLot(input: LotInput): LotResult {
  const { side, long: L, short: S, nav, conversion: c, marginRate: r, model, limits } = input;
  const cr = c * r;
  const modelMargin = Number.isFinite(cr) ? instrumentMargin(model, L, S, c, r) : 0;
  const marginBefore = input.marginUsed ?? modelMargin;
  const other = Math.max(0, marginBefore - modelMargin);
  const budget = marginBudget(nav, limits.maxMarginUsage, limits.safetyFactor);
  const oneSide = oneSideMaxUnits(nav, limits.maxMarginUsage, c, r);
  const dirCapUnits = limits.dirCapRatio * oneSide;
  const N = L - S;
  const netReducing = side === "buy" ? N < 0 : N > 0;
  const marginAvailable = input.marginAvailable ?? nav - marginBefore;
  const free = nav > 0 ? marginAvailable / nav : 0;

  const result = (max: number, binding: LotResult["bindingLimit"]): LotResult => {
    let maxUnits = floorUnits(max, input.unitsPrecision);
    // Room that exists but is smaller than one tradeable step or the minimum order size is cut by
    // the instrument, not by the rule that left it (a 0.4-unit hedge is "below_min_units").
    if (max > 0 && maxUnits < input.minUnits) {
      maxUnits = 0;
      binding = "below_min_units";
    }
    let allowed = maxUnits;
    let reason: LotReason = maxUnits > 0 ? "ok" : binding;
    if (input.requestedUnits !== undefined) {
      const req = floorUnits(input.requestedUnits, input.unitsPrecision);
      if (req < allowed) allowed = req;
      else if (req > maxUnits) reason = binding; // the request was cut: say by what
      if (allowed > 0 && allowed < input.minUnits) {
        allowed = 0;
        reason = "below_min_units";
      }
    }
    const [L2, S2] = side === "buy" ? [L + allowed, S] : [L, S + allowed];
    const marginAfter = other + (Number.isFinite(cr) ? instrumentMargin(model, L2, S2, c, r) : 0);
    return {
      side, model, maxUnits, allowedUnits: allowed, reason, bindingLimit: binding, budget,
      oneSideMaxUnits: oneSide, dirCapUnits, marginBefore, marginAfter,
      usageAfter: nav > 0 ? marginAfter / nav : 0, freeMarginRatio: free, netReducing,
    };
  };

  if (!(nav > 0) || !(c > 0) || !(r > 0) || !(L >= 0) || !(S >= 0) || !Number.isFinite(cr)) {
    return result(0, "bad_input");
  }

  const own = side === "buy" ? L : S; // the side that grows
  const opp = side === "buy" ? S : L;

  // Units that can be added without raising this instrument's margin at all.
  // net: |N + x| <= |N|  =>  up to 2|N| when net-reducing.  max_side: own + x <= opp.
  const noRaise = model === "net" ? (netReducing ? 2 * Math.abs(N) : 0) : Math.max(0, opp - own);

  // Units that keep account margin within the budget B.
  const room = (budget - other) / cr; // charged units the instrument may carry
  let withinBudget = 0;
  if (room >= 0) {
    if (model === "net") {
      // charged after = |signedNet + x| where signedNet is oriented along `side`
      const oriented = side === "buy" ? N : -N;
      withinBudget = Math.max(0, room - oriented);
    } else if (opp <= room) {
      withinBudget = Math.max(0, room - own);
    }
  }

  let max = Math.max(noRaise, withinBudget);
  let binding: LotResult["bindingLimit"] = "margin_budget";

  // Low free margin: only net-reducing entries, and only towards flat (lightening, never flipping).
  if (free < limits.minFreeMarginRatio) {
    if (!netReducing) return result(0, "low_free_margin");
    if (!limits.allowHedgeOnLowMargin) return result(0, "hedge_disabled_low_margin");
    const toFlat = Math.abs(N);
    if (toFlat < max) {
      max = toFlat;
      binding = "low_free_margin";
    }
  }

  // Same-direction cap on the growing side.
  const dirRoom = Math.max(0, dirCapUnits - own);
  if (dirRoom < max) {
    max = dirRoom;
    binding = "dir_cap";
  }
  return result(max, binding);
}
