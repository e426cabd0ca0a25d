// The replay report's page (`sekisho replay --html FILE`): one self-contained file whose data is
// embedded as JSON; this script draws it with Lightweight Charts and fills the tables.
import { AreaSeries, createSeriesMarkers, type IChartApi, LineSeries, LineStyle, type SeriesMarker, type UTCTimestamp } from "lightweight-charts";
import { themedChart } from "./chart-theme.ts";
import { esc, num, pct, plClass, signed } from "./format.ts";
import { renderScorecard } from "./scorecard.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const data: Json = JSON.parse(document.getElementById("sekisho-data")!.textContent!);
const $ = (id: string) => document.getElementById(id)!;
const ts = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
const utc = (ms: number | string) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

function chart(el: HTMLElement, percent = false): IChartApi {
  return themedChart(el, { time: (t) => utc(t * 1000), ...(percent ? { price: (p: number) => `${(p * 100).toFixed(1)}%` } : {}) });
}

/** Unique, ascending times (the chart library requires both). */
function line(points: Array<[number, number]>): Array<{ time: UTCTimestamp; value: number }> {
  const m = new Map<number, number>();
  for (const [t, v] of points) m.set(ts(t), v);
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([time, value]) => ({ time: time as UTCTimestamp, value }));
}

const perfHead = ["Strategy", "Pocket", "Trades", "Open", "Win rate", "Profit factor", "Expectancy", "Net P/L", "Max drawdown", "Sharpe (per trade)"];
function perfRow(label: string, pocket: string, p: Json): string {
  return `<tr><td>${esc(label)}</td><td>${esc(pocket)}</td><td class="num">${num(p.trades)}</td><td class="num">${num(p.open)}</td><td class="num">${pct(p.winRate)}</td>
    <td class="num">${p.profitFactor == null ? "—" : num(p.profitFactor, 2)}</td><td class="num ${plClass(p.expectancy)}">${signed(p.expectancy, 0)}</td>
    <td class="num ${plClass(p.netPL)}">${signed(p.netPL, 0)}</td><td class="num">${num(p.maxDrawdown)}</td><td class="num">${p.sharpe == null ? "—" : num(p.sharpe, 2)}</td></tr>`;
}

function renderRun(run: Json): void {
  const r = run.report;
  const ccy = esc(r.account.currency);
  $("title").textContent = `sekisho replay — ${r.input.instrument}`;
  $("sub").textContent = `${r.ticks.first} → ${r.ticks.last} (${r.ticks.spanHours} h) · ${r.input.ticksFile}${r.input.askFile ? ` + ${r.input.askFile}` : ""} · ${r.input.format}`;
  const card = (label: string, value: string, cls = "") => `<div class="card"><div class="label">${esc(label)}</div><div class="value ${cls}">${value}</div></div>`;
  $("cards").innerHTML = [
    card("Realized P/L", `${signed(r.pl.realized)} <small>${ccy}</small>`, plClass(r.pl.realized)),
    card("End NAV", `${num(r.pl.endNav)} <small>${ccy}</small>`),
    card("Max drawdown", `${num(r.drawdown.max)} <small>${pct(r.drawdown.maxPct, 2)}</small>`),
    card("Highest margin usage", pct(r.margin.maxUsage), r.margin.maxUsage >= run.series.lossCutRatio * 0.9 ? "neg" : ""),
    card("Fills", `${num(r.orders.fills)} <small>${num(r.orders.filledUnits)} units</small>`),
    card("Win rate", pct(run.performance.all.winRate)),
    card("Profit factor", run.performance.all.profitFactor == null ? "—" : num(run.performance.all.profitFactor, 2)),
    card("Fills over budget", num(r.margin.fillsOverBudget), r.margin.fillsOverBudget > 0 ? "neg" : "pos"),
  ].join("");

  const s = run.series;
  const navChart = chart($("c-nav"));
  const whole = { type: "price" as const, precision: 0, minMove: 1 };
  const nav = navChart.addSeries(LineSeries, { color: "#38bdf8", lineWidth: 2, title: "NAV", priceFormat: whole });
  nav.setData(line(s.account.map((p: [number, number, number, number]) => [p[0], p[1]])));
  const bal = navChart.addSeries(LineSeries, { color: "#64748b", lineWidth: 1, lineStyle: LineStyle.Dotted, title: "balance", priceFormat: whole });
  bal.setData(line(s.account.map((p: [number, number, number, number]) => [p[0], p[3]])));
  let peak = -Infinity;
  const dd = s.account.map((p: [number, number, number, number]) => {
    peak = Math.max(peak, p[1]);
    return [p[0], p[1] - peak] as [number, number];
  });
  const ddChart = chart($("c-dd"));
  ddChart.addSeries(AreaSeries, { lineColor: "#ef4444", topColor: "rgba(239,68,68,0.05)", bottomColor: "rgba(239,68,68,0.35)", lineWidth: 1, invertFilledArea: true, title: "drawdown", priceFormat: whole }).setData(line(dd));

  const usageChart = chart($("c-usage"), true);
  // The scale always reaches the loss-cut, so the distance to it is what the eye sees.
  const usage = usageChart.addSeries(LineSeries, {
    color: "#f59e0b", lineWidth: 2, title: "used / NAV",
    autoscaleInfoProvider: (base: () => { priceRange: { minValue: number; maxValue: number } } | null) => {
      const r = base();
      return { priceRange: { minValue: 0, maxValue: Math.max(s.lossCutRatio * 1.05, r?.priceRange.maxValue ?? 0) } };
    },
  });
  usage.setData(line(s.account.map((p: [number, number, number, number]) => [p[0], p[1] > 0 ? p[2] / p[1] : 0])));
  usage.createPriceLine({ price: s.budgetRatio, color: "#e2e8f0", lineWidth: 1, lineStyle: LineStyle.Dashed, title: "budget" });
  usage.createPriceLine({ price: s.lossCutRatio, color: "#ef4444", lineWidth: 2, lineStyle: LineStyle.Solid, title: "loss-cut" });

  const priceChart = chart($("c-price"));
  const price = priceChart.addSeries(LineSeries, { color: "#cbd5e1", lineWidth: 1, title: r.input.instrument });
  price.setData(line(s.price));
  const style: Record<string, { color: string; shape: SeriesMarker<UTCTimestamp>["shape"] }> = {
    entry: { color: "#38bdf8", shape: "arrowUp" }, exit: { color: "#a78bfa", shape: "circle" }, balancer: { color: "#f59e0b", shape: "square" }, close: { color: "#ef4444", shape: "circle" },
  };
  // Each mark at its fill price (not stacked above the bar), so a busy day stays readable.
  const markers: SeriesMarker<UTCTimestamp>[] = [...s.marks].sort((a: Json, b: Json) => a.t - b.t).map((m: Json) => ({
    time: ts(Math.floor(m.t / 60_000) * 60_000),
    ...(typeof m.price === "number" ? { position: "atPriceMiddle" as const, price: m.price } : { position: m.side === "buy" ? ("belowBar" as const) : ("aboveBar" as const) }),
    color: m.kind === "entry" && m.side === "sell" ? "#f472b6" : style[m.kind]!.color,
    shape: m.kind === "entry" ? (m.side === "buy" ? "arrowUp" : "arrowDown") : style[m.kind]!.shape, size: m.kind === "balancer" ? 1.4 : 0.7, text: m.kind === "balancer" ? "H" : "",
  }) as SeriesMarker<UTCTimestamp>);
  createSeriesMarkers(price, markers);
  for (const c of [navChart, ddChart, usageChart, priceChart]) c.timeScale().fitContent();

  $("perf").innerHTML = `<table><thead><tr>${perfHead.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${run.performance.groups.map((g: Json) => perfRow(g.strategy, g.pocket, g)).join("")}${perfRow("all of sekisho's", "", run.performance.all).replace("<tr>", '<tr class="total">')}</tbody></table>`;
  if (run.scorecard) renderScorecard($("scorecard"), run.scorecard, "This run's trades by strategy, scored as sekisho evaluate scores them: after the spread, slippage and financing. The strategies ran together as configured; sekisho evaluate runs each alone and chooses its settings on earlier data (walk-forward).");
  const trades = run.trades as Json[];
  $("trades-n").textContent = `(${trades.length})`;
  $("trades").innerHTML = trades.length === 0 ? `<p class="empty">no trades</p>` : `<table><thead><tr>${["#", "Opened (UTC)", "Side", "Units", "Open", "Closed (UTC)", "Close", "P/L", "Closed by", "Strategy", "Pocket"].map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${trades.map((t) =>
    `<tr><td>${esc(t.id)}</td><td>${utc(t.openTime)}</td><td class="${t.side}">${t.side}</td><td class="num">${num(t.units)}</td><td class="num">${esc(t.openPrice)}</td>
     <td>${t.closeTime ? utc(t.closeTime) : "open"}</td><td class="num">${t.closePrice ?? "—"}</td><td class="num ${plClass(t.realizedPL)}">${signed(t.realizedPL, 0)}</td>
     <td class="mono">${esc(t.closedBy.join(" "))}</td><td>${esc(t.strategy)}</td><td>${esc(t.pocket)}</td></tr>`).join("")}</tbody></table>`;
}

function renderSweep(sweep: Json): void {
  $("title").textContent = `sekisho replay sweep — ${sweep.rows.length} runs`;
  $("sub").textContent = `${sweep.input}`;
  const best = Math.max(...sweep.rows.map((r: Json) => r.realized));
  const span = Math.max(1, ...sweep.rows.map((r: Json) => Math.abs(r.realized)));
  $("sweep").innerHTML = `<table><thead><tr>${[...sweep.names, "Fills", "Trades", "Win rate", "Profit factor", "Realized P/L", "", "Max drawdown", "Highest usage", "Over budget"].map((h: string) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${sweep.rows.map((r: Json) =>
    `<tr class="${r.realized === best ? "best" : ""}">${sweep.names.map((n: string) => `<td class="mono">${esc(r.settings[n])}</td>`).join("")}<td class="num">${num(r.fills)}</td><td class="num">${num(r.trades)}</td>
     <td class="num">${pct(r.winRate)}</td><td class="num">${r.profitFactor == null ? "—" : num(r.profitFactor, 2)}</td><td class="num ${plClass(r.realized)}">${signed(r.realized)}</td>
     <td class="bar"><span class="${r.realized >= 0 ? "up" : "down"}" data-w="${((Math.abs(r.realized) / span) * 100).toFixed(1)}"></span></td>
     <td class="num">${num(r.maxDrawdown)}</td><td class="num">${pct(r.maxUsage)}</td><td class="num">${num(r.fillsOverBudget)}</td></tr>`).join("")}</tbody></table>`;
  document.querySelectorAll<HTMLElement>(".bar span").forEach((el) => { el.style.width = `${el.dataset.w}%`; });
}

document.body.classList.add(data.kind);
if (data.kind === "sweep") renderSweep(data.sweep);
else if (data.kind === "scorecard") renderScorecard($("scorecard"), data.scorecard, "Each strategy alone (the other entry workers and the balancer off) and all of them together, through the simulator and the gate, after the spread, slippage and financing.");
else renderRun(data.run);
