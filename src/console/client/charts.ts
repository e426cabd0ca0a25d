// NAV and margin usage over time with TradingView's Lightweight Charts: the recorded history
// (GET /history) plus a live point from every /positions poll, so the line ends at "now".
import { type IChartApi, type IPriceLine, type ISeriesApi, LineSeries, LineStyle, type UTCTimestamp } from "lightweight-charts";
import { themedChart } from "./chart-theme.ts";

type Point = { time: UTCTimestamp; value: number };

const LIVE_EVERY_S = 5;

function baseChart(el: HTMLElement, percent: boolean): IChartApi {
  return themedChart(el, {
    time: (t) => new Date(t * 1000).toLocaleString("en-GB", { hour12: false }),
    price: percent ? (p) => `${(p * 100).toFixed(1)}%` : (p) => p.toLocaleString("en-US", { maximumFractionDigits: 0 }),
    extra: { crosshair: { horzLine: { labelBackgroundColor: "#334155" }, vertLine: { labelBackgroundColor: "#334155" } } },
  });
}

class TimeLine {
  readonly series: ISeriesApi<"Line">;
  readonly #points = new Map<number, number>();
  #lastLive = 0;

  /** The scale reaches at least this value (the usage chart: its budget and hedge lines stay in view). */
  floorTop = 0;

  constructor(chart: IChartApi, color: string) {
    this.series = chart.addSeries(LineSeries, {
      color, lineWidth: 2, priceLineVisible: false, lastValueVisible: true,
      autoscaleInfoProvider: (base: () => { priceRange: { minValue: number; maxValue: number } } | null) => {
        const r = base();
        if (!r || this.floorTop <= 0) return r;
        return { ...r, priceRange: { minValue: Math.min(0, r.priceRange.minValue), maxValue: Math.max(this.floorTop, r.priceRange.maxValue) } };
      },
    });
  }

  setHistory(pairs: Array<[number, number]>): void {
    for (const [ms, v] of pairs) this.#points.set(Math.floor(ms / 1000), v);
    this.#render();
  }

  live(ms: number, v: number): void {
    const s = Math.floor(ms / 1000);
    if (s - this.#lastLive < LIVE_EVERY_S) return;
    this.#lastLive = s;
    this.#points.set(s, v);
    // Bounded: a page left open for days keeps a day of live points at most.
    if (this.#points.size > 20_000) {
      const keys = [...this.#points.keys()].sort((a, b) => a - b).slice(0, 5_000);
      for (const k of keys) this.#points.delete(k);
    }
    this.#render();
  }

  #render(): void {
    const data: Point[] = [...this.#points.entries()].sort((a, b) => a[0] - b[0]).map(([t, value]) => ({ time: t as UTCTimestamp, value }));
    this.series.setData(data);
  }
}

export class Charts {
  readonly nav: TimeLine;
  readonly usage: TimeLine;
  #lines: IPriceLine[] = [];
  #levels = "";

  constructor(navEl: HTMLElement, usageEl: HTMLElement) {
    this.nav = new TimeLine(baseChart(navEl, false), "#38bdf8");
    this.usage = new TimeLine(baseChart(usageEl, true), "#f59e0b");
  }

  /** Budget, hedge trigger and loss-cut as horizontal lines on the usage chart. */
  levels(levels: Array<{ value: number; title: string; color: string }>): void {
    const key = JSON.stringify(levels);
    if (key === this.#levels) return;
    this.#levels = key;
    // Budget and hedge trigger in view; a loss-cut far above them (the 50% rule: 200%) stays on the gauge.
    this.usage.floorTop = Math.max(0, ...levels.filter((l) => l.value <= 1).map((l) => l.value)) * 1.05;
    for (const l of this.#lines) this.usage.series.removePriceLine(l);
    this.#lines = levels.map((l) => this.usage.series.createPriceLine({ price: l.value, title: l.title, color: l.color, lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: true }));
  }
}
