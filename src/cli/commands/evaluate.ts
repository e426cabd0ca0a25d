// `sekisho evaluate DATA...`: the scorecard. Each entry strategy alone and all of them together
// over each data set named, through the real replay, scored after costs; --walk-forward chooses
// settings on the earlier part and scores them on the later part; --compare runs one setting at
// several values. Data sets are files the user names: the program has no data folder of its own.
import type { Command } from "commander";
import { isInstrumentName } from "../../core/instruments.ts";
import { writeStderr, writeStdout } from "../../runtime/runtime.ts";
import { loadDataSet } from "../../evaluate/dataset.ts";
import { evaluateSubject, type SubjectResult } from "../../evaluate/run.ts";
import { subjectNames, subjects, volumeBlind, VOLUME_ON_BARS } from "../../evaluate/subjects.ts";
import { caveatFor, formatScorecard, type Scorecard } from "../../evaluate/format.ts";
import { CONFIG_KEYS } from "../../config/schema.ts";
import { loadCliConfig } from "../config.ts";
import { readJsonFile } from "../json-file.ts";
import { CliError, EXIT_USAGE } from "../errors.ts";
import { replayFailure } from "./replay-errors.ts";
import { silentLogger } from "../../core/log.ts";
import { scorecardHtml } from "../../console/report-page.ts";
import { writeOutput } from "./replay-outputs.ts";
import { parseWhen } from "../time-option.ts";

interface EvaluateOpts {
  instrument?: string;
  scenario?: string;
  subjects?: string;
  walkForward?: string | boolean;
  compare?: string;
  minTrades: string;
  json?: boolean;
  html?: string;
  quiet?: boolean;
  from?: string;
  to?: string;
}

/** `2013-02-25`, `2013-02-25T20:00`, `2013-02-25T20:00:00Z`; no zone means UTC. */
function parseCompare(s: string | undefined): { name: string; values: string[] } | undefined {
  if (s === undefined) return undefined;
  const m = /^([A-Z][A-Z0-9_]*)=(.+)$/.exec(s.trim());
  if (!m) throw new CliError(`--compare ${JSON.stringify(s)}: expected NAME=v1,v2 such as FAST_SCALP_MAX_SPREAD_PIPS=1.0,1.1,1.2`, EXIT_USAGE);
  if (!(CONFIG_KEYS as readonly string[]).includes(m[1]!)) throw new CliError(`--compare ${m[1]}: not a sekisho setting`, EXIT_USAGE);
  const values = m[2]!.split(",").map((v) => v.trim());
  if (values.some((v) => v === "")) throw new CliError(`--compare ${m[1]}: an empty value`, EXIT_USAGE);
  return { name: m[1]!, values };
}

export function registerEvaluate(program: Command): void {
  program
    .command("evaluate")
    .description("score each strategy alone and all together over recorded prices, after the spread, slippage and financing (optionally walk-forward)")
    .argument("<data...>", "data sets: a price file (as replay reads them), BID.csv+ASK.csv for FXCM bars, or FILE1,FILE2,... read as one (LEAN days)")
    .option("--instrument <name>", "instrument the data holds (default: from the file name, else USD_JPY)")
    .option("--scenario <file>", "simulator scenario JSON (account, starting positions), as replay takes it")
    .option("--subjects <list>", `comma-separated subset of (run in the order given): ${subjectNames().join(", ")}`)
    .option("--walk-forward [fraction]", "choose settings on the first FRACTION of each data set (default 0.67) and score them on the rest")
    .option("--compare <NAME=v1,v2>", "run every subject once per value of one setting (e.g. FAST_SCALP_MAX_SPREAD_PIPS=1.0,1.1,1.2)")
    .option("--min-trades <n>", "fewer closed trades than this prove nothing (verdict too_few_trades)", "30")
    .option("--from <time>", "only prices from this UTC time on (e.g. 2013-02-25)")
    .option("--to <time>", "only prices before this UTC time")
    .option("--json", "print the scorecard as JSON")
    .option("--html <file>", "also write the scorecard as one self-contained page (the replay report's)")
    .option("--quiet", "no progress lines on stderr")
    .action(async (data: string[], o: EvaluateOpts) => {
      if (o.instrument !== undefined && !isInstrumentName(o.instrument)) throw new CliError(`--instrument ${JSON.stringify(o.instrument)}: expected a name such as USD_JPY`, EXIT_USAGE);
      const minTrades = Number(o.minTrades);
      if (!Number.isInteger(minTrades) || minTrades < 1) throw new CliError(`--min-trades ${JSON.stringify(o.minTrades)}: expected a whole number >= 1`, EXIT_USAGE);
      const fraction = o.walkForward === undefined ? undefined : o.walkForward === true ? 0.67 : Number(o.walkForward);
      if (fraction !== undefined && !(fraction > 0 && fraction < 1)) throw new CliError(`--walk-forward ${JSON.stringify(o.walkForward)}: expected a fraction between 0 and 1 such as 0.67`, EXIT_USAGE);
      const all = subjects();
      const wanted = o.subjects ? o.subjects.split(",").map((s) => s.trim()) : all.map((s) => s.name);
      const unknown = wanted.find((w) => !all.some((s) => s.name === w));
      if (unknown) throw new CliError(`--subjects: unknown subject ${JSON.stringify(unknown)} (subjects: ${subjectNames().join(", ")})`, EXIT_USAGE);
      const compare = parseCompare(o.compare);
      loadCliConfig(); // a bad variable is exit 2 before anything is read
      const scenario = o.scenario ? readJsonFile(o.scenario, "--scenario") : undefined;
      const progress = (s: string, score?: { trades: number; netPL: number; profitFactor: number | null; expectancyPips: number | null }) => {
        if (!o.quiet) writeStderr(`evaluate: ${s}${score ? `: ${score.trades} trades, net ${score.netPL}, PF ${score.profitFactor ?? "-"}, ${score.expectancyPips ?? "-"} pips/trade` : ""}\n`);
      };
      try {
        const results: SubjectResult[] = [];
        let volumeBlindRun = false;
        const window = { from: parseWhen("--from", o.from), to: parseWhen("--to", o.to) };
        for (const spec of data) {
          const ds = loadDataSet(spec, o.instrument, window);
          for (const value of compare ? compare.values : [undefined]) {
            const extra: Record<string, string> = compare && value !== undefined ? { [compare.name]: value } : {};
            for (const subject of wanted.map((w) => all.find((s) => s.name === w)!)) {
              const r = await evaluateSubject(ds, subject, {
                configFor: (settings) => loadCliConfig({ ...settings, ...extra }).config,
                scenario, walkForward: fraction, minTrades, log: silentLogger, onRun: progress,
              });
              results.push(compare ? { ...r, subject: `${r.subject} ${compare.name}=${value}` } : r);
              if (!r.unsuited && volumeBlind(ds.shape.bars, loadCliConfig({ ...subject.settings, ...extra }).config)) volumeBlindRun = true;
            }
          }
        }
        const card: Scorecard = {
          caveat: caveatFor(results),
          ...(volumeBlindRun ? { notes: [VOLUME_ON_BARS] } : {}),
          ...(fraction !== undefined ? { walkForward: { inSampleFraction: fraction, minTrades } } : {}),
          results,
        };
        if (o.html) writeOutput("--html", o.html, scorecardHtml(card));
        writeStdout(o.json ? `${JSON.stringify(card, null, 2)}\n` : formatScorecard(card));
      } catch (e) {
        throw replayFailure("evaluate", e, o.scenario);
      }
    });
}
