// Order statistics for the figures: medians of repeated runs and latency percentiles. The
// machine is shared, so one run says little; every row reports the median of several.

/** The q-quantile (0..1) of the values, nearest-rank on a sorted copy. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** A goal and which direction meets it. */
export interface Goal {
  value: number;
  /** "min": the figure must be at least the goal; "max": at most; "none": a figure for comparison, with no goal (value unused). */
  kind: "min" | "max" | "none";
  unit: string;
}

export interface Row {
  figure: string;
  goal: Goal;
  measured: number;
  /** How it was measured (runtime, repeats, spread) in a few words. */
  note: string;
}

/**
 * How far the figure is from its goal as one number where >= 1 means met: measured / goal for
 * "at least" goals, goal / measured for "at most" goals (0.25 = four times too slow).
 */
export function ratioToGoal(r: Pick<Row, "goal" | "measured">): number {
  // No measurement (no samples) is not a met goal, and a figure without a goal has no ratio: NaN prints as "—".
  if (Number.isNaN(r.measured) || r.goal.kind === "none") return Number.NaN;
  if (!(r.measured > 0)) return r.goal.kind === "max" ? Number.POSITIVE_INFINITY : 0;
  return r.goal.kind === "min" ? r.measured / r.goal.value : r.goal.value / r.measured;
}

export function fmt(n: number, unit: string): string {
  if (Number.isNaN(n)) return "not measured";
  if (!Number.isFinite(n)) return String(n);
  if (unit === "µs" || unit === "ms" || unit === "MB") return `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString("en-US")} ${unit}`;
  if (unit === "x") return `${n.toFixed(2)}x`;
  return `${Math.round(n).toLocaleString("en-US")} ${unit}`;
}

/** Two significant digits: 0.0036 stays readable where toFixed(2) would say 0.00. */
export const fmtRatio = (x: number): string => (Number.isNaN(x) ? "—" : !Number.isFinite(x) ? String(x) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));

/** The table as Markdown, ready for the README. */
export function table(rows: readonly Row[]): string {
  const out = ["| figure | goal | measured | ratio to goal (>= 1 met) | how |", "|---|---|---|---|---|"];
  for (const r of rows) {
    const goal = r.goal.kind === "none" ? "—" : `${r.goal.kind === "min" ? ">=" : "<="} ${fmt(r.goal.value, r.goal.unit)}`;
    out.push(`| ${r.figure} | ${goal} | ${fmt(r.measured, r.goal.unit)} | ${fmtRatio(ratioToGoal(r))} | ${r.note} |`);
  }
  return out.join("\n");
}

/** Cumulative bucket counts of one Prometheus histogram in a /metrics text, by `le`, summed over
 * its label sets (one series a worker, say). */
export function histogramBuckets(metricsText: string, name: string): Map<number, number> {
  const out = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\S+)$`, "gm");
  for (const m of metricsText.matchAll(re)) {
    // Prometheus writes the top bucket as "+Inf", which Number() reads as NaN.
    const le = m[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[1]);
    out.set(le, (out.get(le) ?? 0) + Number(m[2]));
  }
  return out;
}

/**
 * The q-quantile of the observations between two scrapes of a cumulative histogram, as the upper
 * bound of the bucket that holds it (NaN when nothing was observed between them).
 */
export function histogramQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const les = [...after.keys()].sort((a, b) => a - b);
  const count = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const total = count(Number.POSITIVE_INFINITY);
  if (!(total > 0)) return Number.NaN;
  for (const le of les) if (count(le) >= q * total) return le;
  return Number.POSITIVE_INFINITY;
}
