// Flatten: close sekisho's own units of an instrument (or of all) through the gate, so that no
// moment on the way is worse than the start. Both sides go as ONE signal whose close the gate
// plans (src/gate/pair-close.ts): one PUT /positions/{instrument}/close request taking longUnits
// and shortUnits together when FIFO meets only sekisho's trades, otherwise sekisho's trades by id
// with the heavier side first and no leg leaving |net| (or margin) above where it was. Two
// independent legs, longs first, could leave long 60,000 / short 55,000 as net -55,000 with
// margin up elevenfold when the market halted between them.
import { clientIdForSignal, positionCloseClientId } from "../core/client-id.ts";
import type { Signal } from "../core/types.ts";
import type { GateDecision } from "../gate/gate.ts";
import type { FlattenResult } from "../http/deps.ts";
import type { AccountState } from "../state/account-state.ts";

/**
 * An operator signal the gate has not taken within this long is dropped as `signal_stale` (by the
 * bus, or skipped by the gate), never sent late. A call that stops waiting before a decision
 * answers 202 pending, followed by client id; flatten waits 30 s, longer than this, so a close it
 * answered pending that the gate never took cannot go out afterwards.
 */
export const OPERATOR_SIGNAL_TTL_MS = 20_000;

/** sekisho's own units per side of one instrument (manual trades are counted in margin, never touched). */
function ownUnits(account: AccountState, instrument: string): { long: number; short: number } {
  let long = 0, short = 0;
  for (const [pocket, e] of Object.entries(account.pocketUnits(instrument))) {
    if (pocket === "manual" || !e) continue;
    long += e.long;
    short += e.short;
  }
  return { long, short };
}

/** The one signal that flattens an instrument, or undefined when sekisho holds nothing there. */
function flattenSignal(instrument: string, own: { long: number; short: number }, actor: string, now: number): Signal | undefined {
  if (own.long <= 0 && own.short <= 0) return undefined;
  return {
    id: `flatten-${instrument}-${now}`, worker: "operator", strategy: "flatten", pocket: "macro", instrument,
    // The side names the heavier leg's order (sell closes longs); the gate closes both.
    side: own.long >= own.short ? "sell" : "buy", confidence: 100, proposedUnits: own.long + own.short,
    reduceOnly: true, attachSlTp: false, createdAt: now, ttlMs: OPERATOR_SIGNAL_TTL_MS,
    meta: { flatten: true, actor, pairClose: { long: own.long, short: own.short, equal: false } },
  };
}

export interface FlattenDeps {
  account: AccountState;
  refresh(): Promise<void>;
  decide(s: Signal): Promise<GateDecision>;
  /** Status of a journal row by client id (each side of a position close has its own). */
  orderStatus(clientId: string): Promise<string | undefined>;
  now(): number;
}

export async function flatten(d: FlattenDeps, instrument: string | undefined, actor: string): Promise<FlattenResult> {
  // Pockets come from the broker's open trades: read them fresh, so a fill moments ago is closed too.
  await d.refresh();
  const names = instrument ? [instrument] : d.account.instrumentsWithPositions();
  const orders: FlattenResult["orders"] = [];
  for (const name of names) {
    const own = ownUnits(d.account, name);
    const s = flattenSignal(name, own, actor, d.now());
    if (!s) continue;
    const dec = await d.decide(s);
    const base = dec.clientId ?? clientIdForSignal(s.id);
    const plan = (dec.detail as { pairClose?: { kind: string; long: number; short: number } }).pairClose;
    for (const [side, units, closes] of [["sell", plan?.long ?? own.long, "long"], ["buy", plan?.short ?? own.short, "short"]] as const) {
      if (units <= 0) continue;
      const clientId = plan?.kind === "position" ? positionCloseClientId(base, closes) : base;
      const status = dec.outcome === "accepted" ? (plan?.kind === "position" ? await d.orderStatus(clientId) : undefined) ?? dec.orderStatus ?? "accepted" : "skipped";
      orders.push({ instrument: name, side, units, clientId, outcome: status, reason: dec.outcome === "accepted" ? null : dec.reason });
    }
  }
  return { instrument: instrument ?? null, orders };
}
