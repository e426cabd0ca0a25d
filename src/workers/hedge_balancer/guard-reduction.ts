// The closeout guard's reduction, as a hedge-balancer plan: on the instrument nearest to the
// loss-cut, the least exposure that puts it back at CLOSEOUT_GUARD_TARGET_PIPS. Net units first
// (a reduce-only hedge against the net), then equal units of both sides (an unwind) when the
// net is gone and larger-side margin still holds the account near the loss-cut. One step at a
// time, each capped like an ordinary hedge or unwind step.
import type { InstrumentTable } from "../../core/instruments.ts";
import { homeSide } from "../../margin/closeout.ts";
import { reductionForDistance } from "../../margin/closeout-reduction.ts";
import type { AccountState } from "../../state/account-state.ts";
import type { HedgePlan, HedgeSettings } from "./plan.ts";

export function guardReductionPlan(account: AccountState, instruments: InstrumentTable, targetPips: number, s: HedgeSettings): { instrument: string; plan: Exclude<HedgePlan, { action: "none" }> } | undefined {
  const snap = account.snapshot();
  const report = account.closeoutReport();
  const instrument = report?.account.instrument;
  if (!snap || !report || !instrument) return undefined;
  const d = report.instruments.find((x) => x.instrument === instrument)?.distance;
  const p = snap.positions.find((x) => x.instrument === instrument);
  const c = account.conversion(instrument);
  if (!d || !p || c === undefined || d.price === null) return undefined;
  const spec = instruments.get(instrument);
  // The price the distance was measured from: the loss-cut price minus the signed move.
  const pip = 10 ** spec.pipLocation;
  const price = d.direction === "down" ? d.price + (d.pips ?? 0) * pip : d.price - (d.pips ?? 0) * pip;
  const model = account.marginModel().inForce;
  const r = reductionForDistance(
    { long: p.long, short: p.short, price, conversion: c, marginRate: spec.marginRate, pipSize: pip, homeSide: homeSide(spec.base, spec.quote, snap.currency) },
    { nav: snap.nav, marginUsed: snap.marginUsed, model, rule: account.closeoutRule().inForce },
    targetPips,
    10 ** -spec.tradeUnitsPrecision,
  );
  const total = snap.marginUsed + snap.marginAvailable;
  const usage = total > 0 ? snap.marginUsed / total : 0;
  const freeRatio = total > 0 ? snap.marginAvailable / total : 0;
  const net = p.long - p.short;
  if (r.netUnits > 0) {
    const units = Math.min(Math.ceil(r.netUnits), s.maxHedgeUnits, Math.abs(net));
    return { instrument, plan: { action: "hedge", side: net > 0 ? "sell" : "buy", units, usage, freeRatio, net, targetNet: Math.abs(net) - r.netUnits, desired: r.netUnits } };
  }
  if (r.pairUnits > 0) {
    const units = Math.min(Math.ceil(r.pairUnits), s.unwindMaxUnits ?? s.maxHedgeUnits, Math.min(p.long, p.short));
    return { instrument, plan: { action: "unwind", units, usage, freeRatio, net, targetCharged: Math.max(p.long, p.short) - r.pairUnits, desired: r.pairUnits } };
  }
  return undefined;
}
