// HedgeBalancer: when margin usage rises, send a reduce-only signal against the net exposure
// through the bus to the gate. The agent calls tick() every HEDGE_BALANCER_INTERVAL_SEC.
import type { Config } from "../../config/schema.ts";
import { workerEnabled } from "../../config/worker-enabled.ts";
import type { Clock, Signal } from "../../core/types.ts";
import type { InstrumentTable } from "../../core/instruments.ts";
import type { Logger } from "../../core/log.ts";
import type { AccountState } from "../../state/account-state.ts";
import { type HedgePlan, type HedgeSettings, planHedge } from "./plan.ts";
import type { AccountCloseout } from "../../margin/closeout.ts";
import { guardReductionPlan } from "./guard-reduction.ts";

/** The slice of market state the balancer reads. */
export interface HedgePriceSource {
  /** Mean mid of ticks received at or after `sinceMs` (clock time), undefined when none. */
  meanMidSince(instrument: string, sinceMs: number): number | undefined;
  /** Latest mid (the sanity bound for pairs HEDGE_MIN_PRICE does not cover). */
  mid?(instrument: string): number | undefined;
}

/**
 * What the balancer reads of the closeout guard (the gate's `CloseoutGuard` fits it): update it
 * with the account's closeout figures, then, while engaged, reduce towards `config.targetPips`.
 */
export interface HedgeCloseoutGuard {
  update(c: AccountCloseout | undefined, now: number): { engaged: boolean } | undefined;
  readonly verdict: { distancePips: number | null } | undefined;
  readonly config: { targetPips: number };
}

const PRICE_WINDOW_MS = 5_000;

function hedgeSettings(c: Config): HedgeSettings {
  return {
    triggerMarginUsage: c.HEDGE_TRIGGER_MARGIN_USAGE, targetMarginUsage: c.HEDGE_TARGET_MARGIN_USAGE,
    triggerFreeMarginRatio: c.HEDGE_TRIGGER_FREE_MARGIN_RATIO, minNetUnits: c.HEDGE_MIN_NET_UNITS,
    minHedgeUnits: c.HEDGE_MIN_HEDGE_UNITS, maxHedgeUnits: c.HEDGE_MAX_HEDGE_UNITS,
    maxReductionFraction: c.HEDGE_MAX_REDUCTION_FRACTION, minPrice: c.HEDGE_MIN_PRICE,
    unwindEnabled: c.HEDGE_UNWIND_ENABLED, unwindMaxUnits: c.HEDGE_UNWIND_MAX_UNITS,
  };
}

export class HedgeBalancerWorker {
  #lastHedgeAt: number | undefined;
  /** Instruments whose hedge lock is being unwound: steps go on until usage is at the target. */
  readonly #unwinding = new Set<string>();
  #seq = 0;
  readonly #settings: HedgeSettings;

  constructor(
    private readonly d: {
      config: Config;
      clock: Clock;
      account: AccountState;
      market: HedgePriceSource;
      instruments: InstrumentTable;
      publish: (s: Signal) => void;
      log?: Logger;
      /** Engaged: reduce exposure until the loss-cut is CLOSEOUT_GUARD_TARGET_PIPS away. */
      closeoutGuard?: HedgeCloseoutGuard;
    },
  ) {
    this.#settings = hedgeSettings(d.config);
  }

  /** One balancing pass. Returns the plan for the instrument it looked at (for tests and logs). */
  tick(): HedgePlan | undefined {
    const { config, clock, account } = this.d;
    if (!workerEnabled(config, "hedge_balancer")) return undefined;
    const snap = account.snapshot();
    if (!snap) return undefined;
    const now = clock.now();
    // Near the loss-cut the guard's reduction goes first, without the hedge cooldown: one step a tick.
    const guard = this.d.closeoutGuard;
    if (guard?.update(account.closeoutReport()?.account, now)?.engaged) {
      const g = guardReductionPlan(account, this.d.instruments, guard.config.targetPips, this.#settings);
      if (g) {
        this.#emit(g.instrument, g.plan, now, { closeoutGuard: true, distancePips: guard.verdict?.distancePips ?? null, targetPips: guard.config.targetPips });
        return g.plan;
      }
    }
    if (this.#lastHedgeAt !== undefined && now - this.#lastHedgeAt < config.HEDGE_COOLDOWN_SEC * 1000) return undefined;

    // The instrument carrying the most net exposure in home currency goes first.
    let best: { instrument: string; plan: HedgePlan; weight: number } | undefined;
    for (const instrument of account.instrumentsWithPositions()) {
      const pos = account.position(instrument);
      const net = pos.long - pos.short;
      const spec = this.d.instruments.get(instrument);
      const price = this.d.market.meanMidSince(instrument, now - PRICE_WINDOW_MS);
      const conversion = spec.quote === snap.currency ? price : account.conversion(instrument);
      const model = account.marginModel().inForce;
      const plan = planHedge(
        {
          marginUsed: snap.marginUsed, marginAvailable: snap.marginAvailable, net, long: pos.long, short: pos.short, model, price, marginRate: spec.marginRate, conversion,
          jpyQuoted: spec.quote === "JPY", latestMid: this.d.market.mid?.(instrument), unwinding: this.#unwinding.has(instrument),
        },
        this.#settings,
      );
      // The instrument whose margin is largest in home currency goes first (|net| under net, the larger side under max_side).
      const weight = (model === "net" ? Math.abs(net) : Math.max(pos.long, pos.short)) * (conversion ?? 0);
      if (plan.action === "unwind") this.#unwinding.add(instrument);
      else this.#unwinding.delete(instrument);
      const acts = (p: HedgePlan) => p.action !== "none";
      if (!best || (acts(plan) && (!acts(best.plan) || weight > best.weight))) best = { instrument, plan, weight };
    }
    if (!best) return undefined;
    const { plan, instrument } = best;
    if (plan.action === "none") return plan;
    this.#emit(instrument, plan, now);
    this.#lastHedgeAt = now;
    return plan;
  }

  #emit(instrument: string, plan: Exclude<HedgePlan, { action: "none" }>, now: number, extra: Record<string, unknown> = {}): void {
    const { config } = this.d;
    if (plan.action === "unwind") {
      const signal: Signal = {
        id: `unwind-${instrument}-${now}-${++this.#seq}`, worker: "hedge_balancer", strategy: "hedge_unwind", pocket: config.HEDGE_POCKET, instrument,
        side: "sell", confidence: config.HEDGE_CONFIDENCE, proposedUnits: 2 * plan.units, reduceOnly: true, attachSlTp: false,
        createdAt: now, ttlMs: config.SIGNAL_TTL_MS,
        meta: { pairClose: { long: plan.units, short: plan.units, equal: true }, usage: plan.usage, freeRatio: plan.freeRatio, net: plan.net, targetCharged: plan.targetCharged, ...extra },
      };
      const line = `[HEDGE] unwind long=${plan.units} short=${plan.units} usage=${plan.usage.toFixed(4)} net=${plan.net}`;
      this.d.log?.info({ event: "hedge_unwind", instrument, units: plan.units, usage: plan.usage, net: plan.net, freeRatio: plan.freeRatio, ...extra }, line);
      this.d.publish(signal);
      return;
    }

    const signal: Signal = {
      id: `hedge-${instrument}-${now}-${++this.#seq}`,
      worker: "hedge_balancer",
      strategy: "hedge_balancer",
      pocket: config.HEDGE_POCKET,
      instrument,
      side: plan.side,
      confidence: config.HEDGE_CONFIDENCE,
      proposedUnits: plan.units,
      reduceOnly: true,
      reduceCap: Math.abs(plan.net),
      // Recorded for the journal; never attached: a reduce-only order closes, it does not open.
      slPips: config.HEDGE_SL_PIPS,
      tpPips: config.HEDGE_TP_PIPS,
      attachSlTp: false,
      createdAt: now,
      ttlMs: config.SIGNAL_TTL_MS,
      meta: { usage: plan.usage, freeRatio: plan.freeRatio, net: plan.net, targetNet: plan.targetNet, ...extra },
    };
    const dir = plan.side === "buy" ? "long" : "short";
    const line = `[HEDGE] enqueue dir=${dir} units=${plan.units} usage=${plan.usage.toFixed(4)} net=${plan.net}`;
    this.d.log?.info({ event: "hedge_enqueue", instrument, dir, units: plan.units, usage: plan.usage, net: plan.net, freeRatio: plan.freeRatio, ...extra }, line);
    this.d.publish(signal);
  }
}
