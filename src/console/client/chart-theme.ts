// The look every chart shares, on the dashboard and on the replay report page: dark panel,
// quiet grid, no borders, minutes on the time axis. Each page says how it writes times and prices.
import { ColorType, createChart, type IChartApi } from "lightweight-charts";

export function themedChart(el: HTMLElement, o: { time: (t: number) => string; price?: (p: number) => string; extra?: Parameters<typeof createChart>[1] }): IChartApi {
  return createChart(el, {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: "transparent" }, textColor: "#9aa4b2", fontSize: 11 },
    grid: { vertLines: { color: "rgba(255,255,255,0.04)" }, horzLines: { color: "rgba(255,255,255,0.06)" } },
    rightPriceScale: { borderVisible: false },
    timeScale: { borderVisible: false, timeVisible: true, secondsVisible: false },
    localization: { timeFormatter: o.time, ...(o.price ? { priceFormatter: o.price } : {}) },
    ...o.extra,
  });
}
