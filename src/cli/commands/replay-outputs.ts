// What `sekisho replay` writes besides its report: --html (one self-contained page), --trades
// (CSV), and --sweep (every combination of settings, in child processes across the cores, one
// comparison table). Kept apart from replay.ts, which reads the options and runs one replay.
import type { ReplayResult } from "../../replay/run.ts";
import { runHtml, sweepHtml } from "../../console/report-page.ts";
import { performance, performanceByGroup } from "../../replay/stats.ts";
import { tradeRecordsCsv as tradesCsv } from "../../ledger/index.ts";
import { runScorecard } from "../../evaluate/of-run.ts";
import { fileLabel } from "../../evaluate/dataset.ts";
import { combinations, formatSweep, parseSweeps, runPool, SweepInputError, type SweepTable, sweepRow } from "../../replay/sweep.ts";
import type { ReplayReport } from "../../replay/report.ts";
import { CONFIG_KEYS } from "../../config/schema.ts";
import { writeText } from "../../runtime/files.ts";
import { cpuCount, runChild, selfInvocation } from "../../runtime/process.ts";
import { environment, writeStdout } from "../../runtime/runtime.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE } from "../errors.ts";

export function writeOutput(flag: string, path: string, text: string): void {
  try {
    writeText(path, text);
  } catch (e) {
    throw new CliError(`${flag} ${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, EXIT_RUNTIME);
  }
}

/** `times`: the replayed prices' times (the scorecard's trading days); `notes`: what the data cannot test. */
export function writeRunOutputs(r: ReplayResult, o: { html?: string; trades?: string; times: () => Iterable<number>; notes?: string[] }): void {
  if (o.trades) writeOutput("--trades", o.trades, tradesCsv(r.trades));
  if (o.html) {
    if (!r.series) throw new Error("replay ran without collecting the series the page draws");
    const { input } = r.report;
    const scorecard = runScorecard(r.transactions, { instrument: input.instrument, dataLabel: fileLabel(input.ticksFile, input.askFile), times: o.times(), notes: o.notes });
    writeOutput("--html", o.html, runHtml({ report: r.report, series: r.series, trades: r.trades, performance: performanceByGroup(r.trades), scorecard }));
  }
}

/** A sweep child's answer on stdout. */
export function workerOutput(r: ReplayResult): string {
  return `${JSON.stringify({ report: r.report, performance: performance(r.trades.filter((t) => t.pocket !== "manual")) })}\n`;
}

/**
 * Run every combination in child processes (`replay <same data options> --sweep-worker`, the
 * combination in its environment), print the table, and draw it with --html.
 */
export async function runSweep(sweeps: string[], passArgs: string[], o: { html?: string; input: string }): Promise<void> {
  let specs;
  try {
    specs = parseSweeps(sweeps, CONFIG_KEYS);
  } catch (e) {
    if (e instanceof SweepInputError) throw new CliError(e.message, EXIT_USAGE);
    throw e;
  }
  const combos = combinations(specs);
  // Every combination must be a valid configuration before anything runs (exit 2 naming it).
  for (const c of combos) loadCliConfig(c);
  const self = selfInvocation();
  const env = environment();
  const results = await runPool(combos, cpuCount(), async (settings) => {
    const r = await runChild(self.command, [...self.args, "replay", ...passArgs, "--sweep-worker"], { ...env, ...settings });
    if (r.code !== 0) {
      const why = r.stderr.trim().split("\n").at(-1) ?? `exit ${r.code}`;
      throw new CliError(`sweep run ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(" ")} failed: ${why.replace(/^sekisho: /, "")}`, r.code === EXIT_USAGE ? EXIT_USAGE : EXIT_RUNTIME);
    }
    const out = JSON.parse(r.stdout) as { report: ReplayReport; performance: ReturnType<typeof performance> };
    return sweepRow(settings, out.report, out.performance);
  });
  const table: SweepTable = { input: o.input, names: specs.map((s) => s.name), rows: results };
  writeStdout(formatSweep(table));
  if (o.html) writeOutput("--html", o.html, sweepHtml(table));
}
