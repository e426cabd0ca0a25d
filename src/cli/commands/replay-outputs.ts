// What `sekisho replay` writes besides its report: --html (one self-contained page), --trades
// (CSV), and --sweep (every combination of settings, in child processes across the cores, one
// comparison table). Kept apart from replay.ts, which reads the options and runs one replay.
import type { ReplayResult } from "../../replay/run.ts";
import { runHtml, sweepHtml } from "../../console/report-page.ts";
import { performance, performanceByGroup } from "../../replay/stats.ts";
import { tradeRecordsCsv as tradesCsv } from "../../ledger/index.ts";
import { runScorecard } from "../../evaluate/of-run.ts";
import { fileLabel } from "../../evaluate/dataset.ts";
import { combinations, formatSweep, parseSweeps, runPool, SweepInputError, type SweepRow, type SweepTable, sweepRow } from "../../replay/sweep.ts";
import type { ReplayReport } from "../../replay/report.ts";
import { CONFIG_KEYS } from "../../config/schema.ts";
import { makeTempDir, removeTree, writeText } from "../../runtime/files.ts";
import { join } from "node:path";
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

/** A sweep child's answer for one run: one line of JSON on stdout. */
export function workerOutput(r: ReplayResult): string {
  return `${JSON.stringify({ report: r.report, performance: performance(r.trades.filter((t) => t.pocket !== "manual")) })}\n`;
}

/**
 * Run every combination in child processes (`replay <same data options> --sweep-worker <file>`,
 * the file a JSON array of the child's runs), print the table, and draw it with --html. One
 * child a core, each given its share of the combinations (every cores-th, so a lane's runs are
 * spread over the list) and running them one after another: it starts, reads the data and warms
 * up once, not once a combination (a cold run of the month took about twice a warm one's time).
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
  const lanes = Math.min(cpuCount(), combos.length);
  const results = new Array<SweepRow>(combos.length);
  // Each child's runs go in a file: as one argument a long sweep would pass the kernel's limit on
  // an argument's length (128 KiB on Linux). The first failure stops the other children.
  const dir = makeTempDir("sekisho-sweep-");
  const stop = new AbortController();
  try {
    await runPool(Array.from({ length: lanes }, (_, k) => k), lanes, async (lane) => {
      const mine = combos.map((_, i) => i).filter((i) => i % lanes === lane);
      const file = join(dir, `lane-${lane}.json`);
      writeText(file, JSON.stringify(mine.map((i) => combos[i]!)));
      const r = await runChild(self.command, [...self.args, "replay", ...passArgs, "--sweep-worker", file], env, stop.signal);
      if (stop.signal.aborted) return; // stopped for another lane's failure, which is the one reported
      const answers = r.stdout.split("\n").filter((l) => l !== "");
      if (r.code !== 0 || answers.length !== mine.length) {
        stop.abort();
        // The child stops at a failing run: the first without an answer is the one to name.
        const failed = combos[mine[Math.min(answers.length, mine.length - 1)]!]!;
        const why = r.stderr.trim().split("\n").at(-1) ?? `exit ${r.code}`;
        throw new CliError(`sweep run ${Object.entries(failed).map(([n, v]) => `${n}=${v}`).join(" ")} failed: ${why.replace(/^sekisho: /, "")}`, r.code === EXIT_USAGE ? EXIT_USAGE : EXIT_RUNTIME);
      }
      mine.forEach((i, k) => {
        const out = JSON.parse(answers[k]!) as { report: ReplayReport; performance: ReturnType<typeof performance> };
        results[i] = sweepRow(combos[i]!, out.report, out.performance);
      });
    });
  } finally {
    removeTree(dir);
  }
  const table: SweepTable = { input: o.input, names: specs.map((s) => s.name), rows: results };
  writeStdout(formatSweep(table));
  if (o.html) writeOutput("--html", o.html, sweepHtml(table));
}
