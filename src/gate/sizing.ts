// Step 8 of the gate: an entry sized by allowed_lot (design.md "Margin, exactly") and every
// order-size limit, on the account as it will be once the orders in flight have filled; and the
// protective stop every entry carries. Pure over state; refusals throw a Skip.
import type { Config } from "../config/schema.ts";
import { round } from "../core/round.ts";
import { floorUnits, type InstrumentTable } from "../core/instruments.ts";
import type { InstrumentSpec, Pocket, Signal } from "../core/types.ts";
import { allowedLot, lotLimits, type LotResult } from "../margin/allowed-lot.ts";
import type { AccountState, Exposure } from "../state/account-state.ts";
import { instrumentRoom, sizeEntry } from "./guards/order-size.ts";
import { entryRoomBesidePendingReduceOnly } from "./guards/reduce-only-worst-case.ts";
import { protectiveStop, type StopDecision } from "./guards/stop-loss.ts";
import type { PocketRule } from "./pocket-rules.ts";
import { Skip } from "./skip.ts";

export interface SizingState {
  config: Config;
  instruments: InstrumentTable;
  account: AccountState;
  rules: Record<Pocket, PocketRule>;
}

/**
 * allowed_lot for one side of one instrument right now, exactly as the gate sizes an entry:
 * open units including orders in flight, and margin in use including everything the broker's
 * snapshot does not show yet. Undefined without an account or a conversion. /positions shows it.
 */
export function lotNow(g: SizingState, instrument: string, side: "buy" | "sell", requestedUnits?: number, includeFateUnknown = true): LotResult | undefined {
  const { config, account, instruments } = g;
  const snap = account.snapshot();
  const c = account.conversion(instrument);
  if (!snap || c === undefined) return undefined;
  const spec = instruments.get(instrument);
  const model = account.marginModel().inForce;
  // The broker's marginUsed lags fills since its snapshot and orders in flight, on every
  // instrument: add their model margin so headroom is never spent twice.
  const unsynced = account.unsyncedMargin(model, includeFateUnknown);
  if (unsynced === undefined) return undefined;
  const e = account.exposure(instrument, includeFateUnknown);
  return allowedLot({
    side, long: e.long, short: e.short, nav: snap.nav, conversion: c, marginRate: spec.marginRate, model,
    marginUsed: snap.marginUsed + unsynced, marginAvailable: snap.marginAvailable - unsynced,
    unitsPrecision: spec.tradeUnitsPrecision, minUnits: spec.minimumTradeSize, requestedUnits, limits: lotLimits(config),
  });
}

/** The units of an entry: the smallest of what was asked and every limit. Adds its figures to `detail`. */
export function sizeEntryUnits(g: SizingState, s: Signal, spec: InstrumentSpec, exposure: Exposure, detail: Record<string, unknown>): number {
  const { config, account } = g;
  // Per-direction pocket limit.
  const rule = g.rules[s.pocket];
  const pocketSide = account.pocketUnits(s.instrument)[s.pocket]?.[s.side === "buy" ? "long" : "short"] ?? 0;
  const pocketRoom = Math.max(0, rule.maxUnitsPerSide - pocketSide);
  // 8. sizing with allowed_lot; margin in use includes orders in flight.
  const lot = lotNow(g, s.instrument, s.side, s.proposedUnits);
  if (!lot) throw new Skip("no_conversion", { reason: "a position's currency cannot be converted to the account's" });
  Object.assign(detail, lotDetail(lot));
  if (lot.allowedUnits <= 0) {
    // Would it fit if the orders of unknown fate had not filled? Then it waits for their fate.
    const unlessUnknown = account.reservations().some((r) => r.fateUnknown) ? lotNow(g, s.instrument, s.side, s.proposedUnits, false) : undefined;
    if (unlessUnknown && unlessUnknown.allowedUnits > 0) throw new Skip("fate_unknown", { ...detail, allowedUnlessUnknown: unlessUnknown.allowedUnits });
    throw new Skip(lot.reason === "ok" ? "margin_budget" : lot.reason, detail);
  }
  const sized = sizeEntry({
    requested: s.proposedUnits,
    limits: [
      [lot.reason === "ok" ? lot.bindingLimit : lot.reason, lot.maxUnits],
      ["pocket_side_limit", pocketRoom],
      ["max_order_units", config.MAX_ORDER_UNITS],
      ["max_instrument_units", instrumentRoom(s.side === "buy" ? exposure.long : exposure.short, config.MAX_INSTRUMENT_UNITS)],
      ["fate_unknown", entryRoomBesidePendingReduceOnly(s.side, account.netRange(s.instrument), account.reservations().filter((r) => r.instrument === s.instrument))],
    ],
  });
  if (sized.units < spec.minimumTradeSize || sized.units <= 0) throw new Skip(sized.limitedBy ?? "pocket_side_limit", { ...detail, pocketUnits: pocketSide, limit: rule.maxUnitsPerSide, maxInstrumentUnits: config.MAX_INSTRUMENT_UNITS });
  if (sized.limitedBy) Object.assign(detail, { limitedBy: sized.limitedBy, requestedUnits: s.proposedUnits });
  return floorUnits(sized.units, spec.tradeUnitsPrecision);
}

/** The entry as ordered: a protective stop on every entry (src/gate/guards/stop-loss.ts). */
export function withProtectiveStop(s: Signal, config: Config): { ordered: Signal; stop: StopDecision } {
  const stop = protectiveStop(s.slPips, s.attachSlTp, { require: config.REQUIRE_STOP_LOSS, minPips: config.MIN_SL_PIPS, maxPips: config.MAX_SL_PIPS });
  return { ordered: { ...s, slPips: stop.pips, tpPips: s.attachSlTp ? s.tpPips : undefined, attachSlTp: stop.pips !== undefined || s.attachSlTp }, stop };
}

function lotDetail(l: LotResult): Record<string, unknown> {
  return {
    maxUnits: l.maxUnits, allowedUnits: l.allowedUnits, lotReason: l.reason, bindingLimit: l.bindingLimit, budget: round(l.budget),
    marginBefore: round(l.marginBefore), marginAfter: round(l.marginAfter), usageAfter: round(l.usageAfter, 6),
    freeMarginRatio: round(l.freeMarginRatio, 6), netReducing: l.netReducing,
  };
}
