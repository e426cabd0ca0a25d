// Replay sweeps: `--sweep NAME=v1,v2 [--sweep NAME2=...]` runs every combination of the values on
// the same data and compares them in one table. The runs are independent, so they go to child
// processes (the same program, `replay --sweep-worker <runs>`), one a core, each running its share
// one after another; the table is in the order the combinations were given, whatever finished
// first, so it is deterministic.
import { type ReplayReport } from "./report.ts";
import { roundWithoutNegativeZero as round } from "../core/round.ts";
import type { Performance } from "./stats.ts";

export class SweepInputError extends Error {}

export interface SweepSpec { name: string; values: string[] }

/** `NAME=v1,v2,...` (repeatable; a name only once). */
export function parseSweeps(args: readonly string[], known: readonly string[]): SweepSpec[] {
  const specs: SweepSpec[] = [];
  for (const a of args) {
    const m = /^([A-Z][A-Z0-9_]*)=(.+)$/.exec(a.trim());
    if (!m) throw new SweepInputError(`--sweep ${JSON.stringify(a)}: expected NAME=value1,value2 such as FAST_SCALP_MAX_SPREAD_PIPS=1.0,1.1,1.2`);
    const [, name, list] = m as unknown as [string, string, string];
    if (!known.includes(name)) throw new SweepInputError(`--sweep ${name}: not a sekisho setting (see docs/margin.md#configuration)`);
    if (specs.some((s) => s.name === name)) throw new SweepInputError(`--sweep ${name}: given twice; list every value in one --sweep`);
    const values = list.split(",").map((v) => v.trim());
    if (values.some((v) => v === "")) throw new SweepInputError(`--sweep ${name}: an empty value in ${JSON.stringify(list)}`);
    specs.push({ name, values: [...new Set(values)] });
  }
  return specs;
}

/** Every combination, the first setting varying slowest. */
export function combinations(specs: readonly SweepSpec[]): Array<Record<string, string>> {
  let out: Array<Record<string, string>> = [{}];
  for (const s of specs) out = out.flatMap((c) => s.values.map((v) => ({ ...c, [s.name]: v })));
  return out;
}

export interface SweepRow {
  settings: Record<string, string>;
  fills: number;
  trades: number;
  winRate: number | null;
  profitFactor: number | null;
  realized: number;
  endNav: number;
  maxDrawdown: number;
  maxUsage: number;
  fillsOverBudget: number;
}

export interface SweepTable {
  /** What was replayed (file, window). */
  input: string;
  names: string[];
  rows: SweepRow[];
}

export function sweepRow(settings: Record<string, string>, report: ReplayReport, perf: Performance): SweepRow {
  return {
    settings, fills: report.orders.fills, trades: perf.trades, winRate: perf.winRate, profitFactor: perf.profitFactor,
    realized: report.pl.realized, endNav: report.pl.endNav, maxDrawdown: report.drawdown.max, maxUsage: round(report.margin.maxUsage, 6), fillsOverBudget: report.margin.fillsOverBudget,
  };
}

/** Run `fn` over `items` with at most `concurrency` at once; results in the items' order. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

const fmt = (x: number | null, d = 0) => (x === null ? "—" : x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));
const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

/** The comparison as a fixed-width text table. Same runs, same text. */
export function formatSweep(t: SweepTable): string {
  const head = [...t.names, "fills", "trades", "win rate", "profit factor", "realized P/L", "end NAV", "max drawdown", "max usage", "over budget"];
  const rows = t.rows.map((r) => [
    ...t.names.map((n) => r.settings[n] ?? ""), fmt(r.fills), fmt(r.trades), pct(r.winRate), fmt(r.profitFactor, 2), fmt(r.realized, 2), fmt(r.endNav, 2), fmt(r.maxDrawdown, 2), pct(r.maxUsage), fmt(r.fillsOverBudget),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < t.names.length ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join("  ").trimEnd();
  return [`sekisho replay sweep: ${t.rows.length} runs on ${t.input}`, "", line(head), line(width.map((w) => "-".repeat(w))), ...rows.map(line), ""].join("\n");
}
