// The replay report: what the configuration would have done with the recorded prices. Only data
// goes in (no wall-clock times, no durations), with fixed rounding and sorted keys, so the same
// input gives the same report byte for byte.

export interface ReplayReport {
  input: {
    ticksFile: string;
    askFile?: string;
    format: string;
    instrument: string;
    /** The window replayed, when --from/--to narrowed it. */
    from?: string;
    to?: string;
  };
  ticks: {
    /** Data rows read (ticks, bars or stream lines). */
    rows: number;
    bars?: number;
    /** Bars with at least one crossed price (ask below bid); those ticks are skipped. */
    crossedBars?: number;
    replayed: number;
    skipped: Record<string, number>;
    first: string;
    last: string;
    spanHours: number;
  };
  account: {
    currency: string;
    startBalance: number;
    startNav: number;
    marginRate: number;
    brokerMarginModel: string;
    /** The model the gate sized with at the end (auto learns it from the broker). */
    gateMarginModel: string;
    /** The simulator's loss-cut: japan (marginUsed / NAV reaching 100%) or half. */
    brokerCloseoutRule: string;
  };
  signals: {
    total: number;
    byWorker: Record<string, number>;
    /** Signals the bus refused or dropped (stale before the gate took them, duplicates...). */
    droppedByBus: Record<string, number>;
  };
  decisions: {
    total: number;
    byOutcome: Record<string, number>;
    skipReasons: Record<string, number>;
  };
  orders: {
    total: number;
    byStatus: Record<string, number>;
    byWorker: Record<string, { sent: number; filled: number; filledUnits: number; reduceOnly: number }>;
    fills: number;
    filledUnits: number;
    /** Closes by the broker's own TP/SL orders and margin closeouts. */
    brokerCloses: Record<string, number>;
  };
  margin: {
    /** B / NAV = min(MAX_MARGIN_USAGE, 0.92) x MARGIN_SAFETY_FACTOR. */
    budgetRatio: number;
    /** Highest marginUsed / NAV seen (after each fill and at each account refresh). */
    maxUsage: number;
    maxUsageAt: string;
    /** Highest marginUsed / NAV right after one of sekisho's fills. */
    maxUsageAfterFill: number;
    /** Fills that left margin above the budget while raising it (must be 0). */
    fillsOverBudget: number;
  };
  pl: {
    realized: number;
    /** Daily financing booked (in the balance; positive received). */
    financing: number;
    unrealized: number;
    endBalance: number;
    endNav: number;
  };
  drawdown: {
    /** Largest fall of NAV from a running peak, in the account currency. */
    max: number;
    maxPct: number;
    peakAt?: string;
    troughAt?: string;
  };
  workers: {
    fastScalpSkips: Record<string, number>;
    microSkips: Record<string, number>;
    balancerRuns: number;
    /** When the balancer first asked for a hedge, and the usage it saw. */
    firstHedge?: { at: string; usage: number; units: number; side: string };
  };
}

export function sortedCounts(m: Record<string, number> | Map<string, number>): Record<string, number> {
  const entries = m instanceof Map ? [...m.entries()] : Object.entries(m);
  return Object.fromEntries(entries.filter(([, v]) => v > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const counts = (m: Record<string, number>) => {
  const e = Object.entries(m);
  return e.length === 0 ? "none" : e.map(([k, v]) => `${k} ${v}`).join(", ");
};

const num = (x: number, d = 0) => x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** The report as an operator reads it. Same input, same text. */
export function formatReport(r: ReplayReport): string {
  const ccy = r.account.currency;
  const out: string[] = [];
  const line = (s = "") => out.push(s);
  line(`sekisho replay: ${r.input.instrument} from ${r.input.ticksFile}${r.input.askFile ? ` + ${r.input.askFile}` : ""} (${r.input.format})`);
  if (r.input.from || r.input.to) line(`  window ${r.input.from ?? "start"} -> ${r.input.to ?? "end"}`);
  line();
  line("Data");
  line(`  rows read        ${num(r.ticks.rows)}${r.ticks.bars !== undefined ? ` (${num(r.ticks.bars)} bars, ${num(r.ticks.crossedBars ?? 0)} with a crossed price)` : ""}`);
  line(`  ticks replayed   ${num(r.ticks.replayed)}`);
  line(`  skipped          ${counts(r.ticks.skipped)}`);
  line(`  span             ${r.ticks.first} -> ${r.ticks.last} (${r.ticks.spanHours} h)`);
  line();
  line("Account");
  line(`  start            balance ${num(r.account.startBalance)} ${ccy}, NAV ${num(r.account.startNav)} ${ccy}, margin rate ${r.account.marginRate}`);
  line(`  margin model     broker ${r.account.brokerMarginModel}, gate ${r.account.gateMarginModel}; loss-cut ${r.account.brokerCloseoutRule}`);
  line();
  line("Signals");
  line(`  total            ${num(r.signals.total)}  (${counts(r.signals.byWorker)})`);
  line(`  dropped by bus   ${counts(r.signals.droppedByBus)}`);
  line();
  line("Gate decisions");
  line(`  total            ${num(r.decisions.total)}  (${counts(r.decisions.byOutcome)})`);
  line(`  skip reasons     ${counts(r.decisions.skipReasons)}`);
  line();
  line("Orders");
  line(`  total            ${num(r.orders.total)}  (${counts(r.orders.byStatus)})`);
  line(`  fills            ${num(r.orders.fills)}, ${num(r.orders.filledUnits)} units`);
  for (const [w, o] of Object.entries(r.orders.byWorker)) {
    line(`  ${w.padEnd(16)} sent ${o.sent}, filled ${o.filled} (${num(o.filledUnits)} units), reduce-only ${o.reduceOnly}`);
  }
  line(`  broker closes    ${counts(r.orders.brokerCloses)}`);
  line();
  line("Margin");
  line(`  highest usage    ${pct(r.margin.maxUsage)} at ${r.margin.maxUsageAt} (marginUsed / NAV)`);
  line(`  after a fill     ${pct(r.margin.maxUsageAfterFill)} highest; budget ${pct(r.margin.budgetRatio)} of NAV; fills over budget ${r.margin.fillsOverBudget}`);
  line();
  line("Profit and loss");
  line(`  realized         ${num(r.pl.realized, 2)} ${ccy}`);
  line(`  financing        ${num(r.pl.financing, 2)} ${ccy}`);
  line(`  unrealized       ${num(r.pl.unrealized, 2)} ${ccy}`);
  line(`  end              balance ${num(r.pl.endBalance, 2)} ${ccy}, NAV ${num(r.pl.endNav, 2)} ${ccy}`);
  line(`  max drawdown     ${num(r.drawdown.max, 2)} ${ccy} (${pct(r.drawdown.maxPct)})${r.drawdown.peakAt ? ` from ${r.drawdown.peakAt} to ${r.drawdown.troughAt}` : ""}`);
  line();
  line("Workers");
  line(`  fast_scalp skips ${counts(r.workers.fastScalpSkips)}`);
  line(`  micro skips      ${counts(r.workers.microSkips)}`);
  line(`  balancer         ${num(r.workers.balancerRuns)} runs${r.workers.firstHedge ? `; first hedge ${r.workers.firstHedge.side} ${num(r.workers.firstHedge.units)} at ${r.workers.firstHedge.at} (usage ${pct(r.workers.firstHedge.usage)})` : "; no hedge"}`);
  return `${out.join("\n")}\n`;
}
