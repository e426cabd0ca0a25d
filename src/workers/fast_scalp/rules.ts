// fast_scalp's decision as one pure function: the gates in their fixed order, then the momentum
// signal. No clock, no state, no logging: the worker gathers the inputs and acts on the verdict,
// so every gate is testable on hand-made numbers.
import type { Config } from "../../config/schema.ts";
import type { Side } from "../../core/types.ts";
import type { TickPoint } from "../../state/market-state.ts";
import { budgetBreach } from "../order-budget.ts";
import { summarizeTicks, type WindowSummary } from "../../state/tick-window.ts";

/** Skip reasons, in the order they are checked. */
export const FAST_SCALP_SKIP_REASONS = [
  "no_price",
  "not_tradeable",
  "spread",
  "signal_stale",
  "too_few_ticks",
  "pattern",
  "cooldown",
  "rate_limit",
  "no_momentum",
  "pending",
] as const;
export type FastScalpSkipReason = (typeof FAST_SCALP_SKIP_REASONS)[number];

export interface FastScalpSettings {
  maxSpreadPips: number;
  maxSignalAgeMs: number;
  windowMs: number;
  minTicks: number;
  patternGate: boolean;
  spikeMult: number;
  cooldownMs: number;
  maxOrdersPerMin: number;
  /** The trade-frequency budget beyond the minute. */
  maxOrdersPerHour: number;
  maxOrdersPerDay: number;
  momentumSpreadMult: number;
  momentumRangeFrac: number;
  /** A published signal stays "pending" this long (its TTL); no second one meanwhile. */
  pendingMs: number;
}

export function fastScalpSettings(c: Config): FastScalpSettings {
  return {
    maxSpreadPips: c.FAST_SCALP_MAX_SPREAD_PIPS,
    maxSignalAgeMs: c.FAST_SCALP_MAX_SIGNAL_AGE_MS,
    windowMs: c.FAST_SCALP_WINDOW_SEC * 1000,
    minTicks: c.FAST_SCALP_MIN_TICKS,
    patternGate: c.FAST_SCALP_PATTERN_GATE,
    spikeMult: c.FAST_SCALP_SPIKE_MULT,
    cooldownMs: c.FAST_SCALP_COOLDOWN_SEC * 1000,
    maxOrdersPerMin: c.FAST_SCALP_MAX_ORDERS_PER_MIN,
    maxOrdersPerHour: c.FAST_SCALP_MAX_ORDERS_PER_HOUR,
    maxOrdersPerDay: c.FAST_SCALP_MAX_ORDERS_PER_DAY,
    momentumSpreadMult: c.FAST_SCALP_MOMENTUM_SPREAD_MULT,
    momentumRangeFrac: c.FAST_SCALP_MOMENTUM_RANGE_FRAC,
    pendingMs: c.SIGNAL_TTL_MS,
  };
}

export interface FastScalpInput {
  now: number;
  latest: TickPoint | undefined;
  /** The accepted tick before `latest`, even if it fell out of the window. */
  previous: TickPoint | undefined;
  /**
   * Ticks received in [now - windowMs, now], oldest first (the latest included): as an array,
   * as a summary, or as a function giving the summary (read only if the cheap gates pass).
   */
  window: readonly TickPoint[] | WindowSummary | (() => WindowSummary);
  /** Pip size of the instrument (0.01 for USD_JPY). */
  pip: number;
  /** When this instrument last had an order placed (gate notification). */
  lastOrderAt?: number;
  /** Orders the worker had placed in the last 60 s, all instruments. */
  ordersLastMinute: number;
  /** Orders in the last hour and the last 24 h (all instruments); undefined counts as 0. */
  ordersLastHour?: number;
  ordersLastDay?: number;
  /** When this worker last published a signal for this instrument. */
  lastSignalAt?: number;
}

export type FastScalpVerdict =
  | { ok: false; reason: FastScalpSkipReason; detail: Record<string, number | boolean | string> }
  | { ok: true; side: Side; confidence: number; detail: Record<string, number> };

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function windowSummary(w: FastScalpInput["window"]): WindowSummary {
  if (typeof w === "function") return w();
  return Array.isArray(w) ? summarizeTicks(w) : (w as WindowSummary);
}

export function evaluateFastScalp(x: FastScalpInput, s: FastScalpSettings): FastScalpVerdict {
  const skip = (reason: FastScalpSkipReason, detail: Record<string, number | boolean | string> = {}): FastScalpVerdict => ({ ok: false, reason, detail });
  const t = x.latest;
  if (!t) return skip("no_price");
  // The broker says it will not fill (market closed, halted): nothing else matters.
  if (!t.tradeable) return skip("not_tradeable");

  // 1. spread of the latest price
  if (t.spreadPips > s.maxSpreadPips) return skip("spread", { spreadPips: r3(t.spreadPips), limitPips: s.maxSpreadPips });

  // 2. staleness: the latest price must be recent AND must not be the first one after a pause,
  // since momentum measured across a pause compares a stale price with a fresh one.
  const ageMs = x.now - t.receivedAt;
  const gapMs = x.previous ? t.receivedAt - x.previous.receivedAt : 0;
  if (ageMs > s.maxSignalAgeMs || gapMs > s.maxSignalAgeMs) {
    return skip("signal_stale", { signal_stale: true, ageMs, gapMs, limitMs: s.maxSignalAgeMs });
  }

  // 3. enough ticks in the window to call anything a move
  const w = windowSummary(x.window);
  if (w.count < s.minTicks) return skip("too_few_ticks", { ticks: w.count, minTicks: s.minTicks });

  // 4. pattern: refuse right after a spike, i.e. when the last tick-to-tick mid move is more than
  // spikeMult x the mean absolute move of the window's earlier ticks (a jump out of a still
  // market counts as a spike). Chasing the tick that made the move buys the top.
  if (s.patternGate && w.count >= 3) {
    const last = Math.abs(w.lastMid - w.prevMid);
    const k = w.count - 2;
    // The running estimate settles it unless it is within its error of the threshold; then,
    // and to report a spike, the exact mean (a plain loop) decides, as it always did.
    const estimate = s.spikeMult * (w.movesEstimate / k);
    const margin = s.spikeMult * (w.movesError / k) + 1e-9 * Math.max(last, Math.abs(estimate));
    if (last > 0 && last > estimate - margin) {
      const mean = w.movesExceptLast() / k;
      if (last > s.spikeMult * mean) {
        return skip("pattern", { lastMovePips: r3(last / x.pip), meanMovePips: r3(mean / x.pip), spikeMult: s.spikeMult });
      }
    }
  }

  // 5. cooldown after this instrument's last order
  if (x.lastOrderAt !== undefined && x.now - x.lastOrderAt < s.cooldownMs) {
    return skip("cooldown", { sinceOrderMs: x.now - x.lastOrderAt, cooldownMs: s.cooldownMs });
  }

  // 6. orders per minute, hour and day, worker-wide (the trade-frequency budget)
  const breach = budgetBreach(
    { minute: x.ordersLastMinute, hour: x.ordersLastHour ?? 0, day: x.ordersLastDay ?? 0 },
    { perMinute: s.maxOrdersPerMin, perHour: s.maxOrdersPerHour, perDay: s.maxOrdersPerDay },
  );
  if (breach?.window === "minute") return skip("rate_limit", { ordersLastMinute: x.ordersLastMinute, limit: s.maxOrdersPerMin });
  if (breach) return skip("rate_limit", { window: breach.window, orders: breach.orders, limit: breach.limit });

  // 7. the signal: mid moved over the window by more than spreadMult x spread (so the move pays
  // for crossing the spread) and more than rangeFrac x the window's range (so it is a direction,
  // not noise inside a band).
  const momentum = w.lastMid - w.firstMid;
  const range = w.hiMid - w.loMid;
  const spread = t.ask - t.bid;
  const needSpread = s.momentumSpreadMult * spread;
  const needRange = s.momentumRangeFrac * range;
  const detail = {
    momentumPips: r3(momentum / x.pip), rangePips: r3(range / x.pip), spreadPips: r3(t.spreadPips), ticks: w.count,
  };
  const abs = Math.abs(momentum);
  if (!(abs > 0 && abs > needSpread && abs > needRange)) return skip("no_momentum", detail);

  // Confidence: 50 at the binding threshold, 100 at twice it.
  const need = Math.max(needSpread, needRange);
  const ratio = need > 0 ? abs / need : 2;
  const confidence = Math.max(1, Math.min(100, Math.round(50 * ratio)));

  // 8. one signal at a time per instrument: the previous one may still be waiting at the gate.
  if (x.lastSignalAt !== undefined && x.now - x.lastSignalAt < s.pendingMs) {
    return skip("pending", { sinceSignalMs: x.now - x.lastSignalAt, pendingMs: s.pendingMs });
  }
  return { ok: true, side: momentum > 0 ? "buy" : "sell", confidence, detail };
}
