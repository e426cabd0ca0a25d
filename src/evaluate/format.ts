// The scorecard as a trader reads it: one line per subject and data set, the walk-forward part
// beside it, and a closing note on how little data stands behind the numbers. Same results,
// same text. The replay report page (src/console/client/scorecard.ts) draws its cells with the
// same SCORE_COLUMNS and scoreCells, so the page and the table never disagree.
import type { RunScore, SubjectResult } from "./run.ts";

export interface Scorecard {
  /** What the numbers stand on, in words (also in the JSON). */
  caveat: string;
  /** What the data cannot test (e.g. volume rules on bars), in words. */
  notes?: string[];
  walkForward?: { inSampleFraction: number; minTrades: number };
  results: SubjectResult[];
}

const f = (x: number | null, d = 2) => (x === null ? "—" : x.toFixed(d));
const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const money = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 0 });

export const SCORE_COLUMNS = ["trades", "/day", "win", "PF", "exp pips", "net P/L", "max DD", "Sharpe", "spread", "spread share"];

export const scoreCells = (s: RunScore): string[] => [String(s.trades), f(s.tradesPerDay), pct(s.winRate), f(s.profitFactor), f(s.expectancyPips), money(s.netPL), money(s.maxDrawdown), f(s.sharpe), money(s.spreadCost), pct(s.spreadShare)];

function table(head: string[], rows: string[][]): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  ").trimEnd();
  return [line(head), line(w.map((n) => "-".repeat(n))), ...rows.map(line)];
}

export function formatScorecard(card: Scorecard): string {
  const out: string[] = ["sekisho evaluate: each strategy alone and all together, after the spread, slippage and financing", ""];
  const full = card.results.filter((r) => r.full);
  if (full.length) out.push("Whole data set, settings in force", ...table(["subject", "data", ...SCORE_COLUMNS], full.map((r) => [r.subject, r.dataSet, ...scoreCells(r.full!)])));
  const wf = card.results.filter((r) => r.walkForward);
  if (wf.length) {
    out.push("Out of sample, settings chosen in sample", ...table(["subject", "data", ...SCORE_COLUMNS], wf.map((r) => [r.subject, r.dataSet, ...scoreCells(r.walkForward!.outOfSample)])));
  }
  for (const r of card.results) if (r.unsuited) out.push(`  ${r.subject} on ${r.dataSet}: not run (${r.unsuited})`);
  if (card.walkForward) {
    out.push("", `Walk-forward: settings chosen on the first ${(card.walkForward.inSampleFraction * 100).toFixed(0)}% of each data set (most net P/L with at least ${card.walkForward.minTrades} trades), scored on the rest`);
    out.push(...table(
      ["subject", "data", "split", "days in/out", "chosen", "in-sample net", "out trades", "out PF", "out exp pips", "out net P/L", "in force: out net", "verdict"],
      wf.map((r) => {
        const w = r.walkForward!;
        const chosenIn = w.tried.find((t) => t.label === w.chosen)!.inSample;
        return [r.subject, r.dataSet, w.split.slice(0, 16), `${w.inSampleDays}/${w.outOfSampleDays}`, w.chosen, money(chosenIn.netPL), String(w.outOfSample.trades), f(w.outOfSample.profitFactor), f(w.outOfSample.expectancyPips), money(w.outOfSample.netPL), money(w.outOfSampleCurrent.netPL), r.verdict];
      }),
    ));
  }
  for (const n of card.notes ?? []) out.push("", n);
  out.push("", card.caveat);
  return `${out.join("\n")}\n`;
}

/** How little the numbers stand on: days of data, and a plain warning. */
export function caveatFor(results: readonly SubjectResult[]): string {
  const days = Math.max(0, ...results.map((r) => r.full?.days ?? r.walkForward?.days ?? 0));
  return `Caveat: the longest data set here covers ${days} trading day${days === 1 ? "" : "s"}. That is one market regime, not a proof: a strategy that wins here can lose the next month, and a loss after costs over this span is already a strong reason not to trade it.`;
}
