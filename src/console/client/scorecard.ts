// The scorecard on the replay report page: `sekisho replay --html` (one run's trades, by strategy)
// and `sekisho evaluate --html` (each strategy alone, with its walk-forward parts). The cells are
// formatted by the scorecard's own code (src/evaluate/format.ts), so the page shows exactly what
// `sekisho evaluate` prints.
import { SCORE_COLUMNS, scoreCells } from "../../evaluate/format.ts";
import { esc } from "./format.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const VERDICT: Record<string, string> = { beats_costs: "beats its costs", loses_after_costs: "loses after costs", too_few_trades: "too few trades", unsuited: "not run" };
const verdictCell = (v: string) => `<td class="${v === "beats_costs" ? "pos" : v === "loses_after_costs" ? "neg" : "empty"}">${esc(VERDICT[v] ?? v)}</td>`;

function head(lead: string[]): string {
  return `<thead><tr>${[...lead, ...SCORE_COLUMNS, "verdict"].map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>`;
}

/** One row: `part` and `subject` as attributes (what a reader of the page, or a test, looks a row up by). */
function row(r: Json, part: string, lead: string[], score: Json, verdict = ""): string {
  const cells = scoreCells(score).map((c, i) => `<td class="num" data-col="${esc(SCORE_COLUMNS[i])}">${esc(c)}</td>`).join("");
  return `<tr data-subject="${esc(r.subject)}" data-data="${esc(r.dataSet)}" data-part="${part}">${lead.map((c) => `<td>${esc(c)}</td>`).join("")}${cells}${verdict ? verdictCell(verdict) : "<td></td>"}</tr>`;
}

export function renderScorecard(el: HTMLElement, card: Json, intro: string): void {
  const out: string[] = [`<p class="note">${esc(intro)}</p>`];
  const full = card.results.filter((r: Json) => r.full);
  if (full.length) {
    out.push(`<h3>Whole data set, settings in force</h3><table data-table="full">${head(["subject", "data", "days"])}<tbody>${full.map((r: Json) =>
      row(r, "full", [r.subject, r.dataSet, String(r.full.days)], r.full, r.verdict)).join("")}</tbody></table>`);
  }
  const wf = card.results.filter((r: Json) => r.walkForward);
  if (wf.length) {
    const share = card.walkForward ? `${(card.walkForward.inSampleFraction * 100).toFixed(0)}%` : "part";
    const min = card.walkForward ? ` (most net P/L with at least ${card.walkForward.minTrades} trades)` : "";
    out.push(`<h3>Walk-forward: settings chosen on the first ${share} of each data set${esc(min)}, scored on the rest</h3><table data-table="walk-forward">${head(["subject", "data", "part", "settings", "days"])}<tbody>${wf.map((r: Json) => {
      const w = r.walkForward;
      const inSample = w.tried.map((t: Json) => row(r, t.label === w.chosen ? "in-chosen" : "in", [r.subject, r.dataSet, `in sample, to ${w.split.slice(0, 16)}`, `${t.label}${t.label === w.chosen ? " (chosen)" : ""}`, String(t.inSample.days)], t.inSample));
      const outChosen = row(r, "out", [r.subject, r.dataSet, "out of sample", `${w.chosen} (chosen)`, String(w.outOfSample.days)], w.outOfSample, r.verdict);
      const inForce = w.chosen === w.tried[0].label ? [] : [row(r, "out-in-force", [r.subject, r.dataSet, "out of sample", `${w.tried[0].label} (in force)`, String(w.outOfSampleCurrent.days)], w.outOfSampleCurrent)];
      return [...inSample, outChosen, ...inForce].join("");
    }).join("")}</tbody></table>`);
  }
  for (const r of card.results.filter((r: Json) => r.unsuited)) out.push(`<p class="empty">${esc(r.subject)} on ${esc(r.dataSet)}: not run (${esc(r.unsuited)})</p>`);
  for (const n of card.notes ?? []) out.push(`<p class="note" data-note>${esc(n)}</p>`);
  out.push(`<p class="caveat" id="caveat">${esc(card.caveat)}</p>`);
  el.innerHTML = out.join("");
}
