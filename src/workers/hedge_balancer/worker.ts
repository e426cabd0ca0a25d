// HedgeBalancer: when margin usage rises, send a reduce-only signal against the net exposure
// through the bus to the gate. The agent calls tick() every HEDGE_BALANCER_INTERVAL_SEC.
import type { Config } from "../../config/schema.ts";
import type { Clock, Signal } from "../../core/types.ts";
import type { InstrumentTable } from "../../core/instruments.ts";
import type { Logger } from "../../core/log.ts";
import type { AccountState } from "../../state/account-state.ts";
import { type HedgePlan, type HedgeSettings, planHedge } from "./plan.ts";

/** The slice of market state the balancer reads. */
export interface HedgePriceSource {
  /** Mean mid of ticks received at or after `sinceMs` (clock time), undefined when none. */
  meanMidSince(instrument: string, sinceMs: number): number | undefined;
}

export const PRICE_WINDOW_MS = 5_000;

export function hedgeSettings(c: Config): HedgeSettings {
  return {
    triggerMarginUsage: c.HEDGE_TRIGGER_MARGIN_USAGE, targetMarginUsage: c.HEDGE_TARGET_MARGIN_USAGE,
    triggerFreeMarginRatio: c.HEDGE_TRIGGER_FREE_MARGIN_RATIO, minNetUnits: c.HEDGE_MIN_NET_UNITS,
    minHedgeUnits: c.HEDGE_MIN_HEDGE_UNITS, maxHedgeUnits: c.HEDGE_MAX_HEDGE_UNITS,
    maxReductionFraction: c.HEDGE_MAX_REDUCTION_FRACTION, minPrice: c.HEDGE_MIN_PRICE,
  };
}

export class HedgeBalancerWorker {
  #lastHedgeAt: number | undefined;
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
    },
  ) {
    this.#settings = hedgeSettings(d.config);
  }

  /** One balancing pass. Returns the plan for the instrument it looked at (for tests and logs). */
  tick(): HedgePlan | undefined {
    const { config, clock, account } = this.d;
    if (!config.HEDGE_BALANCER_ENABLED) return undefined;
    const snap = account.snapshot();
    if (!snap) return undefined;
    const now = clock.now();
    if (this.#lastHedgeAt !== undefined && now - this.#lastHedgeAt < config.HEDGE_COOLDOWN_SEC * 1000) return undefined;

    // The instrument carrying the most net exposure in home currency goes first.
    let best: { instrument: string; plan: HedgePlan; weight: number } | undefined;
    for (const instrument of account.instrumentsWithPositions()) {
      const pos = account.position(instrument);
      const net = pos.long - pos.short;
      const spec = this.d.instruments.get(instrument);
      const price = this.d.market.meanMidSince(instrument, now - PRICE_WINDOW_MS);
      const conversion = spec.quote === snap.currency ? price : account.conversion(instrument);
      const plan = planHedge(
        { marginUsed: snap.marginUsed, marginAvailable: snap.marginAvailable, net, price, marginRate: spec.marginRate, conversion },
        this.#settings,
      );
      const weight = Math.abs(net) * (conversion ?? 0);
      if (!best || (plan.action === "hedge" && (best.plan.action !== "hedge" || weight > best.weight))) best = { instrument, plan, weight };
    }
    if (!best) return undefined;
    const { plan, instrument } = best;
    if (plan.action !== "hedge") return plan;

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
      meta: { usage: plan.usage, freeRatio: plan.freeRatio, net: plan.net, targetNet: plan.targetNet },
    };
    this.#lastHedgeAt = now;
    const dir = plan.side === "buy" ? "long" : "short";
    const line = `[HEDGE] enqueue dir=${dir} units=${plan.units} usage=${plan.usage.toFixed(4)} net=${plan.net}`;
    this.d.log?.info({ event: "hedge_enqueue", instrument, dir, units: plan.units, usage: plan.usage, net: plan.net, freeRatio: plan.freeRatio }, line);
    this.d.publish(signal);
    return plan;
  }
}
