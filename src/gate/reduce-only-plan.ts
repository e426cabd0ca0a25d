// Step 7 of the gate: how many units a reduce-only signal may take off, and how. Never increases
// exposure: sized against the worst case of the orders still unsettled, never touching a manual
// trade (OANDA reduces a position oldest trade first, FIFO), one close per trade at a time.
// Pure over state; refusals throw a Skip.
import { floorUnits } from "../core/instruments.ts";
import type { TradeClose } from "../core/orders.ts";
import type { InstrumentSpec, Signal } from "../core/types.ts";
import type { PairCloseOrder } from "../execution/pair-close.ts";
import type { AccountState } from "../state/account-state.ts";
import { reduceOnlyRoom } from "./guards/reduce-only-worst-case.ts";
import { pairCloseWanted, planPairClose } from "./pair-close.ts";
import { Skip } from "./skip.ts";

/** 7a. Both sides at once (hedge-lock unwind, flatten), when the signal asks for it (`meta.pairClose`). */
export function planPairCloseFor(s: Signal, account: AccountState, spec: InstrumentSpec, detail: Record<string, unknown>, canClosePosition: boolean): PairCloseOrder | undefined {
  const want = s.reduceOnly ? pairCloseWanted(s.meta) : undefined;
  if (!want) return undefined;
  fifoKnown(account, s.instrument, detail);
  // Never raises |net| or margin on the way.
  const pos = account.position(s.instrument);
  const plan = planPairClose({ instrument: s.instrument, trades: account.trades(), long: pos.long, short: pos.short, want, equal: want.equal, unitsPrecision: spec.tradeUnitsPrecision, canClosePosition });
  if (plan.kind === "none") throw new Skip(plan.reason, { ...detail, ...plan.detail });
  return plan;
}

/**
 * The open trades must add up to the position before their order (FIFO) is relied on: a trade a
 * stop loss or take profit closed moments ago is still listed until the account refresh, and a
 * close sized on that list would reach the next trade in line, a manual one perhaps. Refused as
 * a stale picture until the refresh the exit called for has come.
 */
function fifoKnown(account: AccountState, instrument: string, detail: Record<string, unknown>): void {
  const off = account.tradesDisagree(instrument);
  if (off) throw new Skip("account_stale", { ...detail, tradesDisagree: off });
}

export interface ReducePlan {
  units: number;
  /** Set when sekisho's own trades are closed by id (a manual trade is first in line). */
  tradeCloses?: TradeClose[];
}

/**
 * 7. Reduce-only: net from the broker's position, less what reduce-only orders already in flight
 * will take off. SL/TP are recorded, never attached. Adds its figures to `detail`.
 */
export function planReduceOnly(s: Signal, account: AccountState, spec: InstrumentSpec, detail: Record<string, unknown>, canCloseTrade: boolean): ReducePlan {
  if (s.slPips !== undefined || s.tpPips !== undefined) detail.slTpPipsNotAttached = { sl: s.slPips ?? null, tp: s.tpPips ?? null };
  const pos = account.position(s.instrument);
  const net = pos.long - pos.short;
  let units: number;
  if (s.meta?.flatten) {
    // Flatten closes one side outright: sell closes longs, buy closes shorts.
    const sideUnits = s.side === "sell" ? pos.long : pos.short;
    units = Math.min(s.proposedUnits ?? sideUnits, sideUnits);
  } else {
    // Sized against the worst case: whichever unsettled orders fill, |net| cannot grow.
    const room = reduceOnlyRoom(s.side, account.netRange(s.instrument), net);
    if (!room.ok) throw new Skip(room.reason, room.detail);
    detail.worstCaseUnits = room.maxUnits;
    units = Math.min(s.proposedUnits ?? room.maxUnits, room.maxUnits, s.reduceCap ?? Number.POSITIVE_INFINITY);
  }
  // Manual trades are never touched. OANDA reduces a position oldest trade first (FIFO), so
  // only sekisho's own units ahead of the first manual trade on that side can be taken off.
  fifoKnown(account, s.instrument, detail);
  const closingSide = s.side === "sell" ? "buy" : "sell";
  const fifo = account.trades().filter((t) => t.instrument === s.instrument && t.side === closingSide).sort((a, b) => Number(a.id) - Number(b.id));
  let tradeCloses: TradeClose[] | undefined;
  if (fifo.some((t) => t.pocket === "manual")) {
    // A trade whose earlier close has an unknown fate is not closed again until that settles:
    // a close is matched to its own request, and two closes of one trade could not be told apart.
    const closing = new Set(account.reservations().flatMap((r) => (r.tradeId ? [r.tradeId] : [])));
    const mine = fifo.filter((t) => t.pocket !== "manual");
    const own = mine.filter((t) => !closing.has(t.id));
    if (canCloseTrade && own.length === 0 && mine.length > 0) throw new Skip("fate_unknown", { tradesBeingClosed: [...closing] });
    if (canCloseTrade && own.length > 0) {
      // Close sekisho's own trades by id, oldest first: the manual ones stay as they are.
      units = Math.min(units, own.reduce((n, t) => n + t.units, 0));
      tradeCloses = [];
      let left = floorUnits(units, spec.tradeUnitsPrecision);
      for (const t of own) {
        if (left <= 0) break;
        const take = Math.min(left, t.units);
        tradeCloses.push({ tradeId: t.id, units: take });
        left -= take;
      }
      detail.tradeCloses = tradeCloses;
    } else {
      let ownAhead = 0;
      for (const t of fifo) {
        if (t.pocket === "manual") break;
        ownAhead += t.units;
      }
      detail.ownUnitsAheadOfManual = ownAhead;
      if (ownAhead <= 0) throw new Skip("manual_trades_first", { ...detail, net });
      units = Math.min(units, ownAhead);
    }
  }
  units = floorUnits(units, spec.tradeUnitsPrecision);
  detail.net = net;
  if (s.proposedUnits !== undefined && units < s.proposedUnits && units > 0) Object.assign(detail, { limitedBy: "net_position", requestedUnits: s.proposedUnits });
  if (units < spec.minimumTradeSize || units <= 0) throw new Skip("nothing_to_reduce", { ...detail, units });
  return { units, tradeCloses };
}
