// One run under both brokers, side by side: OANDA Japan's account (larger-side margin, the
// 100% loss-cut) and the memo's picture (net margin, the half-margin closeout). Same data, same
// configuration; only the simulator's account differs, so every difference in the rows is what
// the margin model and the loss-cut did.
import type { BrokerModel } from "./run.ts";
import type { ReplayReport } from "./report.ts";

export type Comparison = Record<BrokerModel, ReplayReport>;

const LABELS: Record<BrokerModel, string> = { japan: "OANDA Japan (max_side, japan)", memo: "memo (net, half)" };

const num = (x: number, d = 0) => x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const closeouts = (r: ReplayReport) => r.orders.brokerCloses.MARKET_ORDER_MARGIN_CLOSEOUT ?? 0;

const ROWS: [string, (r: ReplayReport) => string][] = [
  ["margin model", (r) => `broker ${r.account.brokerMarginModel}, gate ${r.account.gateMarginModel}`],
  ["loss-cut", (r) => r.account.brokerCloseoutRule],
  ["start NAV", (r) => num(r.account.startNav)],
  ["signals", (r) => num(r.signals.total)],
  ["accepted/skipped", (r) => `${num(r.decisions.byOutcome.accepted ?? 0)} / ${num(r.decisions.byOutcome.skipped ?? 0)}`],
  ["fills", (r) => `${num(r.orders.fills)} (${num(r.orders.filledUnits)} units)`],
  ["TP / SL closes", (r) => `${num(r.orders.brokerCloses.TAKE_PROFIT_ORDER ?? 0)} / ${num(r.orders.brokerCloses.STOP_LOSS_ORDER ?? 0)}`],
  ["margin closeouts", (r) => num(closeouts(r))],
  ["highest usage", (r) => pct(r.margin.maxUsage)],
  ["fills over budget", (r) => num(r.margin.fillsOverBudget)],
  ["realized", (r) => num(r.pl.realized, 2)],
  ["financing", (r) => num(r.pl.financing, 2)],
  ["end NAV", (r) => num(r.pl.endNav, 2)],
  ["max drawdown", (r) => `${num(r.drawdown.max, 2)} (${pct(r.drawdown.maxPct)})`],
  ["balancer hedges", (r) => num(r.orders.byWorker.hedge_balancer?.filled ?? 0)],
];

/** The two reports as one table an operator reads. Same input, same text. */
export function formatComparison(c: Comparison): string {
  const r = c.japan;
  const width = Math.max(...(Object.keys(c) as BrokerModel[]).map((m) => Math.max(LABELS[m].length, ...ROWS.map(([, f]) => f(c[m]).length)))) + 2;
  const out = [
    `sekisho replay --compare-models: ${r.input.instrument} from ${r.input.ticksFile}${r.input.askFile ? ` + ${r.input.askFile}` : ""} (${r.input.format})`,
    ...(r.input.from || r.input.to ? [`  window ${r.input.from ?? "start"} -> ${r.input.to ?? "end"}`] : []),
    `  ${r.ticks.replayed} ticks, ${r.ticks.first} -> ${r.ticks.last}; amounts in ${r.account.currency}`,
    "",
    `${"".padEnd(20)}${LABELS.japan.padEnd(width)}${LABELS.memo}`,
    ...ROWS.map(([label, f]) => `${label.padEnd(20)}${f(c.japan).padEnd(width)}${f(c.memo)}`),
  ];
  return `${out.join("\n")}\n`;
}
