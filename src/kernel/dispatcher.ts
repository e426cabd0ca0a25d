// The worker life cycle in one place: whether a worker is enabled (the settings), whether it is
// paused now (the operator's controls), and when it runs (fast_scalp on each accepted tick,
// micro_multistrat on each closed M1 candle, hedge_balancer every HEDGE_BALANCER_INTERVAL_SEC).
// The live node calls it from its streams and timers, the backtest node from its tick loop, so
// both run the workers by the same rules.
import type { Config } from "../config/schema.ts";
import { workerEnabled } from "../config/worker-enabled.ts";
import type { WorkerName } from "../core/types.ts";

export interface DispatchedWorkers {
  fastScalp: { onTick(instrument: string): unknown };
  micro: { onCandleClosed(instrument: string): unknown };
  hedge: { tick(): unknown };
}

export class WorkerDispatcher {
  #lastBalancerAt: number;
  /** Balancer passes that came due (paused ones included: the cadence does not stop). */
  balancerRuns = 0;

  constructor(
    private readonly d: {
      config: Config;
      controls: { isPaused(w: WorkerName): boolean };
      workers: DispatchedWorkers;
      /** Where the balancer's cadence starts (the node's start time). */
      startAt: number;
    },
  ) {
    this.#lastBalancerAt = d.startAt;
  }

  enabled(w: WorkerName): boolean {
    return workerEnabled(this.d.config, w);
  }

  /** Enabled and not paused by the operator. */
  active(w: WorkerName): boolean {
    return this.enabled(w) && !this.d.controls.isPaused(w);
  }

  /** A tick market state accepted. */
  onTick(instrument: string): void {
    if (this.active("fast_scalp")) this.d.workers.fastScalp.onTick(instrument);
  }

  /** An M1 candle closed. */
  onCandleClosed(instrument: string): void {
    if (this.active("micro_multistrat")) this.d.workers.micro.onCandleClosed(instrument);
  }

  /** The balancer's interval in ms; undefined when it is switched off (no timer at all). */
  get balancerIntervalMs(): number | undefined {
    return this.enabled("hedge_balancer") ? this.d.config.HEDGE_BALANCER_INTERVAL_SEC * 1000 : undefined;
  }

  /** One balancer pass came due (the live node's timer): runs it unless paused. */
  balancerDue(now: number): void {
    this.#lastBalancerAt = now;
    this.balancerRuns++;
    if (!this.d.controls.isPaused("hedge_balancer")) this.d.workers.hedge.tick();
  }

  /** Simulated time: run the balancer if an interval has passed since its last pass. */
  balanceIfDue(now: number): void {
    const every = this.balancerIntervalMs;
    if (every !== undefined && now - this.#lastBalancerAt >= every) this.balancerDue(now);
  }
}
