// Margin for one instrument and for the account, exactly as design.md "Margin, exactly" says.
// L, S: open long and short units (magnitudes); c: base->home conversion at mid; r: margin rate.
import type { MarginModel } from "../core/types.ts";

/** Units the margin is charged on under a model: |L-S| for net, max(L,S) for max_side. */
export function chargedUnits(model: MarginModel, long: number, short: number): number {
  return model === "net" ? Math.abs(long - short) : Math.max(long, short);
}

export function instrumentMargin(model: MarginModel, long: number, short: number, c: number, r: number): number {
  return chargedUnits(model, long, short) * c * r;
}

export interface InstrumentExposure {
  long: number;
  short: number;
  /** base->home conversion at mid */
  conversion: number;
  marginRate: number;
}

/** Account-wide margin is the sum over instruments. */
export function accountMargin(model: MarginModel, exposures: InstrumentExposure[]): number {
  let total = 0;
  for (const e of exposures) total += instrumentMargin(model, e.long, e.short, e.conversion, e.marginRate);
  return total;
}

/** margin_usage_ratio = marginUsed / NAV (0 when NAV is not positive, to avoid dividing by it). */
export function marginUsageRatio(marginUsed: number, nav: number): number {
  return nav > 0 ? marginUsed / nav : 0;
}

/** free_margin_ratio = marginAvailable / NAV. */
export function freeMarginRatio(marginAvailable: number, nav: number): number {
  return nav > 0 ? marginAvailable / nav : 0;
}

/** The hard ceiling on MAX_MARGIN_USAGE from the memo. */
export const MARGIN_USAGE_CEILING = 0.92;

export function clampUsage(maxMarginUsage: number): number {
  return Math.min(maxMarginUsage, MARGIN_USAGE_CEILING);
}

/** B = NAV x min(MAX_MARGIN_USAGE, 0.92) x MARGIN_SAFETY_FACTOR */
export function marginBudget(nav: number, maxMarginUsage: number, safetyFactor: number): number {
  return Math.max(0, nav) * clampUsage(maxMarginUsage) * safetyFactor;
}

/** One-side maximum = NAV x min(MAX_MARGIN_USAGE, 0.92) / (c x r); no safety factor (design.md). */
export function oneSideMaxUnits(nav: number, maxMarginUsage: number, c: number, r: number): number {
  if (!(c > 0 && r > 0)) return 0;
  return (Math.max(0, nav) * clampUsage(maxMarginUsage)) / (c * r);
}
