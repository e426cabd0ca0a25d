// `sekisho replay --html FILE` (and `sekisho evaluate --html FILE`): one self-contained page (data, script, styles and the chart
// library inline; opens from disk, offline). The drawing is done by src/console/client/report.ts,
// bundled into REPORT_JS by `npm run build:console`. It lives in console/, above replay/ and evaluate/,
// whose results it draws.
import { REPORT_CSS, REPORT_JS } from "./assets.generated.ts";
import type { Scorecard } from "../evaluate/format.ts";
import type { ReplayReport } from "../replay/report.ts";
import type { ReplaySeries } from "../replay/series.ts";
import type { GroupPerformance, Performance } from "../replay/stats.ts";
import type { TradeRecord as ReplayTrade } from "../ledger/index.ts";
import type { SweepTable } from "../replay/sweep.ts";

export interface RunPageData {
  report: ReplayReport;
  series: ReplaySeries;
  trades: ReplayTrade[];
  performance: { all: Performance; groups: GroupPerformance[] };
  /** The run's trades scored by strategy as `sekisho evaluate` scores them (src/evaluate/of-run.ts). */
  scorecard: Scorecard;
}

/** JSON that is safe inside a <script> element (no "</script>", no "<!--"). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const escHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function page(title: string, data: unknown): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body>
<h1 id="title">${escHtml(title)}</h1><div class="sub" id="sub"></div>
<div class="run-only">
<div class="cards" id="cards"></div>
<div class="grid2">
<section class="panel"><h2>NAV and balance</h2><div id="c-nav" class="chart"></div><h2>Drawdown from the running peak</h2><div id="c-dd" class="chart small"></div></section>
<section class="panel"><h2>Margin used / NAV, with the budget and the loss-cut</h2><div id="c-usage" class="chart tall"></div></section>
</div>
<section class="panel"><h2>Price, entries, exits and the balancer's actions</h2><div id="c-price" class="chart tall"></div>
<div class="legend"><b class="e">▲ buy entry</b> · <b class="s">▼ sell entry</b> · <b class="x">● exit (reduce-only)</b> · <b class="h">■ H balancer hedge</b> · <b class="c">● broker close (take-profit, stop-loss, closeout)</b></div></section>
</div>
<section class="panel score-panel"><h2>Scorecard: after the spread, slippage and financing</h2><div id="scorecard"></div></section>
<div class="run-only">
<section class="panel"><h2>Per strategy and pocket</h2><div id="perf"></div></section>
<section class="panel"><h2>Trades <span id="trades-n"></span></h2><div id="trades"></div></section>
</div>
<div class="sweep-only"><section class="panel"><h2>Comparison (same data, every combination)</h2><div id="sweep"></div></section></div>
<footer>Written by sekisho replay. Same input, same page. Charts: TradingView Lightweight Charts™.</footer>
<script type="application/json" id="sekisho-data">${scriptJson(data)}</script>
<script>${REPORT_JS.replace(/<\/script/gi, "<\\/script")}</script>
</body></html>
`;
}

export function runHtml(d: RunPageData): string {
  return page(`sekisho replay — ${d.report.input.instrument}`, { kind: "run", run: d });
}

export function scorecardHtml(card: Scorecard): string {
  return page(`sekisho evaluate — ${card.results.length} result${card.results.length === 1 ? "" : "s"}`, { kind: "scorecard", scorecard: card });
}

export function sweepHtml(table: SweepTable): string {
  return page(`sekisho replay sweep — ${table.rows.length} runs`, { kind: "sweep", sweep: table });
}
