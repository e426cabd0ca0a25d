// Steps 2-6 of the gate (design.md): everything that can refuse a signal before it is sized.
// Pure over state: each refusal throws a Skip naming the step; what passes comes back with the
// figures the sizing steps need and the detail the decision records.
import type { Config } from "../config/schema.ts";
import { round } from "../core/round.ts";
import { type InstrumentTable, toPips } from "../core/instruments.ts";
import type { AccountSnapshot, InstrumentSpec, Pocket, Signal, Tick } from "../core/types.ts";
import type { AccountState, Exposure } from "../state/account-state.ts";
import type { GateControls } from "./controls.ts";
import { type CloseoutGuard, closeoutGuardSkip } from "./guards/closeout-guard.ts";
import type { LossLimitBlock } from "./guards/loss-limit.ts";
import { isFxMarketOpen } from "./market-hours.ts";
import type { PocketRule } from "./pocket-rules.ts";
import type { PriceView } from "./ports.ts";
import { Skip } from "./skip.ts";

export interface CheckState {
  config: Config;
  instruments: InstrumentTable;
  account: AccountState;
  prices: PriceView;
  controls: GateControls;
  closeoutGuard: CloseoutGuard;
  lossLimit?: { check(nav: number): LossLimitBlock | undefined };
  enforceMarketHours: boolean;
  rules: Record<Pocket, PocketRule>;
  /** `${pocket}|${instrument}` -> time of the last fill (pocket cooldown). */
  lastFill: ReadonlyMap<string, number>;
  /** Restart reconciliation finished. */
  ready: boolean;
  /**
   * A rehearsal (src/gate/rehearsal.ts): the checks change nothing. The closeout guard is judged
   * without being updated, and the loss limit, which folds the NAV it is asked about, is not asked.
   */
  rehearsal?: boolean;
}

export interface Checked {
  spec: InstrumentSpec;
  tick: Tick;
  snap: AccountSnapshot;
  /** Open units of the instrument, orders in flight included. */
  exposure: Exposure;
  detail: Record<string, unknown>;
}

export function checkSignal(g: CheckState, s: Signal, now: number): Checked {
  const { config, instruments, account } = g;
  if (!g.ready) throw new Skip("not_ready");
  // Signals are typed (validated once where they enter untyped), but NaN is a number: the units
  // an order is sized from are checked here, where money depends on them.
  const badUnits = [s.proposedUnits, s.reduceCap].some((u) => u !== undefined && !(Number.isFinite(u) && u >= 0));
  if (badUnits) throw new Skip("invalid_signal", { proposedUnits: s.proposedUnits ?? null, reduceCap: s.reduceCap ?? null });
  if (now - s.createdAt > s.ttlMs) throw new Skip("signal_stale", { ageMs: now - s.createdAt, ttlMs: s.ttlMs });

  // 2. kill switch and pause
  if (g.controls.flattenAndStop && !s.meta?.flatten) throw new Skip("kill_switch", { flatten: true });
  if (g.controls.killActive && !s.reduceOnly) throw new Skip("kill_switch");
  if (g.controls.isPaused(s.worker)) throw new Skip("paused", { worker: s.worker });
  if (s.pocket === "manual") throw new Skip("manual_pocket");
  if (!instruments.has(s.instrument) && !config.INSTRUMENTS.includes(s.instrument)) throw new Skip("unknown_instrument");
  const spec = instruments.get(s.instrument);

  // 3. price freshness and tradeable
  const tick = g.prices.latest(s.instrument);
  if (!tick) throw new Skip("no_price");
  const priceAgeMs = now - tick.receivedAt;
  if (priceAgeMs > config.GATE_MAX_PRICE_AGE_MS) throw new Skip("price_stale", { priceAgeMs, limitMs: config.GATE_MAX_PRICE_AGE_MS });
  if (!tick.tradeable) throw new Skip("not_tradeable");

  // 4. market open
  if (g.enforceMarketHours && !isFxMarketOpen(now)) throw new Skip("market_closed");

  // 5. spread (entries only: risk must always be able to come off)
  const spreadPips = toPips(spec, tick.ask - tick.bid);
  if (!s.reduceOnly && spreadPips > config.GATE_MAX_SPREAD_PIPS) throw new Skip("spread", { spreadPips, limitPips: config.GATE_MAX_SPREAD_PIPS });

  const snap = account.snapshot();
  if (!snap) throw new Skip("no_account_state");
  // Entries are never sized on an old picture of NAV and margin (refreshes failing).
  const accountAgeMs = account.ageMs();
  // Reduce-only too (flatten aside): on an old picture the net it reduces may not exist any more.
  if ((!s.reduceOnly || !s.meta?.flatten) && account.isStale(config.ACCOUNT_REFRESH_SEC)) throw new Skip("account_stale", { accountAgeMs, reduceOnly: s.reduceOnly });
  const detail: Record<string, unknown> = { spreadPips: round(spreadPips, 3), priceAgeMs, bid: tick.bid, ask: tick.ask };
  const guarded = s.reduceOnly ? undefined : closeoutGuardSkip(g.closeoutGuard, account.closeoutReport()?.account, now, g.rehearsal);
  if (guarded) throw new Skip(guarded.reason, guarded.detail);
  // Loss limits and order size (src/gate/guards): entries only, so risk can always come off.
  const lossBlock = s.reduceOnly || g.rehearsal ? undefined : g.lossLimit?.check(snap.nav);
  if (lossBlock) throw new Skip("loss_limit", { ...lossBlock, since: new Date(lossBlock.since).toISOString(), nav: snap.nav });
  if (!s.reduceOnly && s.worker === "operator" && (s.proposedUnits ?? 0) > config.MAX_ORDER_UNITS) throw new Skip("too_large", { requestedUnits: s.proposedUnits, limit: config.MAX_ORDER_UNITS });

  // 6. pocket rules (entries only)
  if (!s.reduceOnly) {
    const rule = g.rules[s.pocket];
    const last = g.lastFill.get(`${s.pocket}|${s.instrument}`);
    if (last !== undefined && now - last < rule.cooldownSec * 1000) {
      throw new Skip("pocket_cooldown", { pocket: s.pocket, sinceFillMs: now - last, cooldownSec: rule.cooldownSec });
    }
    const open = account.openTradeCount(s.pocket);
    if (open >= rule.maxOpenTrades) throw new Skip("pocket_max_trades", { pocket: s.pocket, openTrades: open, limit: rule.maxOpenTrades });
  }

  // Every order is sized in the account's currency: without a conversion nothing is sent.
  const exposure = account.exposure(s.instrument);
  const c = account.conversion(s.instrument);
  if (c === undefined) throw new Skip("no_conversion", { base: spec.base, home: snap.currency });
  detail.model = account.marginModel().inForce;
  detail.long = exposure.long;
  detail.short = exposure.short;
  return { spec, tick, snap, exposure, detail };
}
