// The margin the broker's last snapshot cannot know yet (fills applied since it, orders in
// flight), under a margin model (src/margin/model.ts). Pure over a view of the account state.
import type { MarginModel } from "../core/types.ts";
import { accountMargin } from "../margin/model.ts";
import type { Exposure } from "./account-types.ts";

export interface MarginView {
  /** Instruments with a position (held locally), then those with an unsettled order: the order sums are taken in. */
  positionInstruments(): string[];
  reservedInstruments(): string[];
  exposure(instrument: string, includeFateUnknown?: boolean): Exposure;
  conversion(instrument: string): number | undefined;
  marginRate(instrument: string): number;
}

/**
 * Margin the broker's last snapshot cannot know yet: fills applied since it and orders in
 * flight, on every instrument. Per instrument never negative (a reduction the broker has not
 * confirmed frees nothing yet). Undefined when a conversion is missing: the caller refuses.
 */
export function unsyncedMargin(v: MarginView, snapPositions: ReadonlyArray<{ instrument: string; long: number; short: number }>, model: MarginModel, includeFateUnknown = true): number | undefined {
  const names = new Set([...v.positionInstruments(), ...snapPositions.map((p) => p.instrument), ...v.reservedInstruments()]);
  let total = 0;
  for (const name of names) {
    const now = v.exposure(name, includeFateUnknown);
    const seen = snapPositions.find((p) => p.instrument === name) ?? { long: 0, short: 0 };
    if (now.long === seen.long && now.short === seen.short) continue;
    const c = v.conversion(name);
    if (c === undefined) return undefined;
    const r = v.marginRate(name);
    total += Math.max(0, accountMargin(model, [{ ...now, conversion: c, marginRate: r }]) - accountMargin(model, [{ long: seen.long, short: seen.short, conversion: c, marginRate: r }]));
  }
  return total;
}
