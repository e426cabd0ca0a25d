// Reduce-only sizing against the worst case. An order whose answer was lost may still fill, and
// one in flight may or may not: a reduce-only order is sized so that |net| cannot grow whichever
// of them fill. On a hedging account a REDUCE_ONLY sell takes units off the long side whatever
// the short side holds, so sizing it against a net the broker no longer has is how a "reduction"
// grows exposure.
import type { Side } from "../../core/types.ts";
import type { NetRange } from "../../state/account-state.ts";

export type ReduceOnlyRoom =
  | { ok: true; maxUnits: number }
  | { ok: false; reason: "nothing_to_reduce" | "reduce_only_direction" | "fate_unknown"; detail: Record<string, unknown> };

/**
 * How many units a reduce-only order on `side` may take off, given the net it may end up at once
 * every unsettled order has settled (`range`) and the net without them (`settledNet`).
 * A sell needs a net above zero in every case (at most range.min); a buy one below zero in every
 * case (at most -range.max). When only the orders of unknown fate stand in the way: `fate_unknown`.
 */
export function reduceOnlyRoom(side: Side, range: NetRange, settledNet: number): ReduceOnlyRoom {
  const worst = side === "sell" ? range.min : -range.max;
  if (worst > 0) return { ok: true, maxUnits: worst };
  const detail = { net: settledNet, worstCaseNet: side === "sell" ? range.min : range.max, side };
  const nominal = side === "sell" ? settledNet : -settledNet;
  if (nominal > 0) return { ok: false, reason: "fate_unknown", detail };
  return { ok: false, reason: settledNet === 0 ? "nothing_to_reduce" : "reduce_only_direction", detail };
}

/**
 * How many units an entry on `side` may take while reduce-only orders on the same side are
 * unsettled (in flight or of unknown fate). Such an order was sized on the net it would reduce;
 * an entry that pushes the net past zero first turns it, when it fills later, into an order that
 * grows |net| (on a hedging account a REDUCE_ONLY sell takes longs off whatever the shorts
 * hold). So the worst-case net must stay on the reducing order's side of zero: at most
 * range.min for a sell, -range.max for a buy. Unlimited when no such order is pending.
 */
export function entryRoomBesidePendingReduceOnly(side: Side, range: NetRange, pending: ReadonlyArray<{ side: Side; reduceOnly: boolean }>): number {
  if (!pending.some((r) => r.reduceOnly && r.side === side)) return Number.POSITIVE_INFINITY;
  return Math.max(0, side === "sell" ? range.min : -range.max);
}
