// What a replay counts while it runs, fed by the kernel's hooks (signals published, decisions,
// settlements, account reads) and by the tick loop: signals by worker, decisions by outcome,
// orders by worker and status, the highest margin usage, the drawdown, fills over the budget,
// and (with --html) the series the report page draws. The report is assembled from it at the
// end (report-assembly.ts).
import type { Signal } from "../core/types.ts";
import type { GateDecision } from "../gate/gate.ts";
import type { SettledOrder } from "../core/order-events.ts";
import type { AccountNumbers } from "../sim/types.ts";
import { isoTime } from "../marketdata/ticks.ts";
import type { ReplayReport } from "./report.ts";
import { roundWithoutNegativeZero as round } from "../core/round.ts";
import { SeriesRecorder } from "./series.ts";

/** Margin used / NAV (infinite when NAV is gone but margin is not). */
const usageOf = (n: { marginUsed: number; nav: number }): number => (n.nav > 0 ? n.marginUsed / n.nav : n.marginUsed > 0 ? Number.POSITIVE_INFINITY : 0);

export class ReplayRecorder {
  readonly signalsByWorker: Record<string, number> = {};
  readonly decisionsByOutcome: Record<string, number> = {};
  readonly skipReasons: Record<string, number> = {};
  readonly ordersByStatus: Record<string, number> = {};
  readonly ordersByWorker: ReplayReport["orders"]["byWorker"] = {};
  fills = 0;
  filledUnits = 0;
  firstHedge: ReplayReport["workers"]["firstHedge"];
  maxUsage = 0;
  maxUsageAt: number;
  maxUsageAfterFill = 0;
  fillsOverBudget = 0;
  peakNav: number;
  peakAt: number;
  drawdown = { max: 0, pct: 0, peakAt: undefined as number | undefined, troughAt: undefined as number | undefined };
  readonly startNumbers: AccountNumbers;
  /** With --html: the account, price and fill series. */
  readonly series: SeriesRecorder | undefined;

  constructor(
    private readonly d: { numbers: () => AccountNumbers; now: () => number; budgetRatio: number; collect: boolean },
  ) {
    const now = d.now();
    this.startNumbers = d.numbers();
    this.maxUsageAt = now;
    this.peakNav = this.startNumbers.nav;
    this.peakAt = now;
    this.sample();
    this.series = d.collect ? new SeriesRecorder(d.budgetRatio) : undefined;
    this.series?.account(now, d.numbers(), true);
  }

  /** Fold the broker's current figures into the highs and the drawdown. */
  sample(): AccountNumbers {
    const n = this.d.numbers();
    const now = this.d.now();
    const u = usageOf(n);
    if (u > this.maxUsage) {
      this.maxUsage = u;
      this.maxUsageAt = now;
    }
    if (n.nav > this.peakNav) {
      this.peakNav = n.nav;
      this.peakAt = now;
    }
    const dd = this.peakNav - n.nav;
    if (dd > this.drawdown.max) this.drawdown = { max: dd, pct: this.peakNav > 0 ? dd / this.peakNav : 0, peakAt: this.peakAt, troughAt: now };
    return n;
  }

  published(s: Signal): void {
    this.signalsByWorker[s.worker] = (this.signalsByWorker[s.worker] ?? 0) + 1;
    if (s.worker === "hedge_balancer" && !this.firstHedge) {
      this.firstHedge = { at: isoTime(s.createdAt), usage: round(Number(s.meta?.usage ?? 0), 6), units: s.proposedUnits ?? 0, side: s.side };
    }
  }

  decided(d: GateDecision): void {
    this.decisionsByOutcome[d.outcome] = (this.decisionsByOutcome[d.outcome] ?? 0) + 1;
    if (d.outcome !== "accepted") this.skipReasons[d.reason] = (this.skipReasons[d.reason] ?? 0) + 1;
  }

  settled(settled: SettledOrder, signal: Signal): void {
    const w = (this.ordersByWorker[signal.worker] ??= { sent: 0, filled: 0, filledUnits: 0, reduceOnly: 0 });
    w.sent++;
    if (settled.reduceOnly) w.reduceOnly++;
    this.ordersByStatus[settled.status] = (this.ordersByStatus[settled.status] ?? 0) + 1;
    if (settled.status === "filled") {
      w.filled++;
      w.filledUnits += settled.filledUnits ?? 0;
      this.fills++;
      this.filledUnits += settled.filledUnits ?? 0;
    }
    if (this.series && settled.status === "filled") {
      this.series.mark({
        t: this.d.now(), kind: signal.worker === "hedge_balancer" ? "balancer" : settled.reduceOnly ? "exit" : "entry",
        side: settled.side, units: settled.filledUnits ?? settled.units, price: settled.fillPrice ?? null, who: `${signal.worker}/${signal.strategy}`,
      });
    }
  }

  /** After the gate filled an order: the gate's promise is that margin never rises above the budget. */
  filled(before: AccountNumbers): void {
    const after = this.sample();
    this.series?.account(this.d.now(), after, true);
    this.maxUsageAfterFill = Math.max(this.maxUsageAfterFill, usageOf(after));
    // ...unless the order does not raise margin at all.
    if (after.marginUsed > before.nav * this.d.budgetRatio + 1e-6 && after.marginUsed > before.marginUsed + 1e-6) this.fillsOverBudget++;
  }

  /** A tick replayed. */
  tick(t: number, mid: number): void {
    if (!this.series) return;
    this.series.price(t, mid);
    this.series.account(t, this.d.numbers());
  }
}
