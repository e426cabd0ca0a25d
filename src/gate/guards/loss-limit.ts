// Loss limits (issue 12), pure: the daily loss limit against the trading day's opening NAV and the
// drawdown guard against NAV's high-water mark. NAV = balance + unrealized P/L, so realized and
// unrealized losses count together. Past either, entries stop (reason `loss_limit`); reduce-only
// signals still pass so risk can always come off. The daily limit lifts at the next trading day
// (OANDA's day ends 17:00 New York time); the drawdown guard only by an operator's resume.
import { tradingDayAt } from "../../core/new-york.ts";

/** MAX_DAILY_LOSS as configured: an amount in the home currency, a percentage, or off. */
export type DailyLossSetting = { kind: "amount"; value: number } | { kind: "percent"; value: number } | { kind: "off" };

export function parseDailyLoss(text: string): DailyLossSetting {
  const s = text.trim().toLowerCase();
  if (s === "off") return { kind: "off" };
  if (s.endsWith("%")) return { kind: "percent", value: Number(s.slice(0, -1)) };
  return { kind: "amount", value: Number(s) };
}

export interface LossLimitSettings {
  daily: DailyLossSetting;
  /** Percent below the high-water mark; 0 = off. */
  maxDrawdownPct: number;
}

/** What is remembered (and persisted, so a restart neither lifts a guard nor forgets the mark). */
export interface LossLimitState {
  /** The trading day (the New York date on which it ends at 17:00), e.g. "2026-03-09". */
  tradingDay: string;
  /** NAV when the trading day was first observed. */
  dayOpenNav: number;
  /** Highest NAV observed since the last operator resume. */
  highWaterNav: number;
  /** Set when the daily limit was crossed this trading day. */
  dailyTrippedAt?: number;
  /** Set when the drawdown guard tripped; cleared only by resumeDrawdown(). */
  drawdownTrippedAt?: number;
  drawdownTrippedNav?: number;
}

export type LossLimitEvent =
  | { kind: "daily_tripped"; loss: number; limit: number }
  | { kind: "drawdown_tripped"; loss: number; limit: number }
  | { kind: "daily_lifted"; tradingDay: string };

/**
 * The trading day an instant belongs to: a day runs from 17:00 New York time to 17:00 the next
 * day and is named by the date it ends on (core/new-york.ts: US daylight saving applied, so the
 * boundary is 21:00 UTC in summer and 22:00 UTC in winter).
 */
export function tradingDayOf(epochMs: number): string {
  // New York is a whole number of hours from UTC and its day boundary (17:00) and daylight-saving
  // changes fall on the hour, so the answer is the same for a whole UTC hour: the gate asks before
  // every entry, and the day costs ~0.7 µs to compute (~4 µs where nyParts asks Intl, outside
  // 2008-2099), a string and three Dates each time.
  const hour = Math.floor(epochMs / 3_600_000);
  if (hour === lastHour && lastDay !== undefined) return lastDay;
  const day = tradingDayAt(epochMs);
  lastHour = hour;
  lastDay = day;
  return day;
}

let lastHour = Number.NaN;
let lastDay: string | undefined;

/** The daily limit in the home currency for a day that opened at `openNav` (undefined: off). */
export function dailyLimitAmount(setting: DailyLossSetting, openNav: number): number | undefined {
  if (setting.kind === "off") return undefined;
  return setting.kind === "amount" ? setting.value : (openNav * setting.value) / 100;
}

/** Fold one NAV reading into the state; returns the new state and what changed. */
export function observeNav(prev: LossLimitState | undefined, nav: number, now: number, settings: LossLimitSettings): { state: LossLimitState; events: LossLimitEvent[] } {
  const events: LossLimitEvent[] = [];
  const day = tradingDayOf(now);
  let state: LossLimitState;
  if (!prev) {
    state = { tradingDay: day, dayOpenNav: nav, highWaterNav: nav };
  } else if (prev.tradingDay !== day) {
    // A new trading day: a new opening NAV, and the daily limit lifts. The drawdown guard stays.
    state = { ...prev, tradingDay: day, dayOpenNav: nav, dailyTrippedAt: undefined, highWaterNav: Math.max(prev.highWaterNav, nav) };
    if (prev.dailyTrippedAt !== undefined) events.push({ kind: "daily_lifted", tradingDay: day });
  } else {
    state = { ...prev, highWaterNav: Math.max(prev.highWaterNav, nav) };
  }
  const dailyLimit = dailyLimitAmount(settings.daily, state.dayOpenNav);
  const dailyLoss = state.dayOpenNav - nav;
  if (dailyLimit !== undefined && state.dailyTrippedAt === undefined && dailyLoss >= dailyLimit) {
    state.dailyTrippedAt = now;
    events.push({ kind: "daily_tripped", loss: dailyLoss, limit: dailyLimit });
  }
  if (settings.maxDrawdownPct > 0 && state.drawdownTrippedAt === undefined) {
    const limit = (state.highWaterNav * settings.maxDrawdownPct) / 100;
    const drawdown = state.highWaterNav - nav;
    if (drawdown >= limit) {
      state.drawdownTrippedAt = now;
      state.drawdownTrippedNav = nav;
      events.push({ kind: "drawdown_tripped", loss: drawdown, limit });
    }
  }
  return { state, events };
}

export interface LossLimitBlock {
  scope: "daily" | "drawdown";
  since: number;
  loss: number;
  limit: number;
}

/** Why entries are stopped now, or undefined. Reduce-only signals are never blocked here. */
export function entryBlock(state: LossLimitState | undefined, nav: number, settings: LossLimitSettings): LossLimitBlock | undefined {
  if (!state) return undefined;
  if (state.drawdownTrippedAt !== undefined) {
    return { scope: "drawdown", since: state.drawdownTrippedAt, loss: state.highWaterNav - nav, limit: (state.highWaterNav * settings.maxDrawdownPct) / 100 };
  }
  if (state.dailyTrippedAt !== undefined) {
    return { scope: "daily", since: state.dailyTrippedAt, loss: state.dayOpenNav - nav, limit: dailyLimitAmount(settings.daily, state.dayOpenNav) ?? 0 };
  }
  return undefined;
}

/** An operator's resume: the drawdown guard lifts and the high-water mark restarts at today's NAV. */
export function resumeDrawdown(state: LossLimitState, nav: number): LossLimitState {
  return { ...state, highWaterNav: nav, drawdownTrippedAt: undefined, drawdownTrippedNav: undefined };
}
