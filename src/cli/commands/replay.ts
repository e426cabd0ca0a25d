// `sekisho replay`: the recorded ticks through the simulator, the workers and the real gate, on
// the data's clock; prints what the operator's configuration would have done.
import { type Command, Option } from "commander";
import type { Logger } from "../../core/log.ts";
import { silentLogger } from "../../core/silent-logger.ts";
import { isInstrumentName } from "../../core/instruments.ts";
import { parseEnvFile } from "../../config/load.ts";
import { readTextIfExists } from "../../runtime/files.ts";
import { environment, writeStderr, writeStdout } from "../../runtime/runtime.ts";
import { instrumentFromFileName, isReplayFormat, readTicks } from "../../marketdata/read.ts";
import { runReplay } from "../../replay/run.ts";
import { tickWindow } from "../../replay/window.ts";
import { formatReport } from "../../replay/report.ts";
import { formatComparison } from "../../replay/compare.ts";
import { REPLAY_FORMATS } from "../../marketdata/ticks.ts";
import { loadCliConfig } from "../config.ts";
import { volumeBlind, VOLUME_ON_BARS } from "../../evaluate/subjects.ts";
import { readJsonFile } from "../json-file.ts";

// What a plain run does not write (the HTML page, the trades CSV, a sweep's table) loads when
// asked for: its modules are most of the command's start-up otherwise.
const outputs = () => import("./replay-outputs.ts");
import { CliError, EXIT_USAGE } from "../errors.ts";
import { replayFailure } from "./replay-errors.ts";
import { parseWhen } from "../time-option.ts";

interface ReplayOpts {
  ticks: string;
  askFile?: string;
  format?: string;
  scenario?: string;
  instrument?: string;
  from?: string;
  to?: string;
  json?: boolean;
  compareModels?: boolean;
  html?: string;
  trades?: string;
  sweep?: string[];
  /** A sweep child's runs: a file holding a JSON array of settings (NAME -> value), one run each, in order. */
  sweepWorker?: string;
}

/** The options that say what data to replay, passed on unchanged to each sweep run. */
function dataArgs(o: ReplayOpts): string[] {
  const out: string[] = [];
  const pass: Array<[keyof ReplayOpts, string]> = [["ticks", "--ticks"], ["askFile", "--ask-file"], ["format", "--format"], ["scenario", "--scenario"], ["instrument", "--instrument"], ["from", "--from"], ["to", "--to"]];
  for (const [k, flag] of pass) if (typeof o[k] === "string") out.push(flag, o[k] as string);
  return out;
}

/** --sweep-worker's runs: a file holding an array of objects of strings, as the sweep's parent writes it. */
function sweepRuns(path: string): Array<Record<string, string>> {
  const v = readJsonFile(path, "--sweep-worker");
  const ok = Array.isArray(v) && v.every((r) => r && typeof r === "object" && !Array.isArray(r) && Object.values(r).every((x) => typeof x === "string"));
  if (!ok) throw new CliError(`--sweep-worker ${path}: expected a JSON array of settings such as [{"MICRO_UNITS":"5000"}]`, EXIT_USAGE);
  return v as Array<Record<string, string>>;
}

function readScenarioJson(path: string): unknown {
  return readJsonFile(path, "--scenario");
}

/** The instrument: --instrument, else the one the data names, else the file name, else the scenario's first, else USD_JPY. */
function chooseInstrument(o: ReplayOpts, scenario: unknown): string | undefined {
  if (o.instrument) return o.instrument;
  const fromName = instrumentFromFileName(o.ticks);
  const scenarioInstruments = scenario && typeof scenario === "object" ? Object.keys((scenario as { instruments?: object }).instruments ?? {}) : [];
  if (fromName && (scenarioInstruments.length === 0 || scenarioInstruments.includes(fromName))) return fromName;
  return scenarioInstruments[0];
}

/**
 * pino to stderr (stdout carries the report); silent unless the user asked for a LOG_LEVEL.
 * A silent run does not load pino at all (its modules were a tenth of the command's start-up).
 */
async function replayLogger(level: string): Promise<Logger> {
  const env = environment();
  const userSet = (env.LOG_LEVEL ?? parseEnvFile(readTextIfExists(".env") ?? "").LOG_LEVEL ?? "").trim() !== "";
  if (!userSet || level === "silent") return silentLogger;
  const [{ createLogger }, { default: pino }] = await Promise.all([import("../../core/log.ts"), import("pino")]);
  return createLogger(level, pino.destination({ fd: 2, sync: true }));
}

export function registerReplay(program: Command): void {
  program
    .command("replay")
    .description("replay recorded prices through the simulator, the workers and the gate on the data's clock, and report what would have happened")
    .requiredOption("--ticks <file>", "tick or bar file: TrueFX/nautilus CSV, LEAN tick or quote-bar .zip/.csv, FXCM bid bars (with --ask-file), pricing-stream NDJSON")
    .option("--ask-file <file>", "the ask bars that go with FXCM bid bars given as --ticks")
    .option("--format <format>", `override format detection: ${REPLAY_FORMATS.join(", ")}`)
    .option("--scenario <file>", "simulator scenario JSON: account (balance, currency, margin rate, model) and starting positions")
    .option("--instrument <name>", "instrument the data holds (default: named by the data or file name, else the scenario's, else USD_JPY)")
    .option("--from <time>", "replay from this UTC time on (e.g. 2013-02-25 or 2013-02-25T20:00:00Z)")
    .option("--to <time>", "replay up to (not including) this UTC time")
    .option("--json", "print the report as JSON")
    .option("--compare-models", "run twice, as an OANDA Japan account (larger-side margin, 100% loss-cut) and as the memo's net-margin account (half-margin closeout), and show both side by side")
    .option("--html <file>", "also write one self-contained HTML page: NAV, drawdown, margin usage, price with entries and exits, trades, per-strategy statistics (with --sweep: the comparison)")
    .option("--trades <file>", "also write the trades as CSV")
    .option("--sweep <NAME=v1,v2>", "run every combination of these settings on the same data, in parallel, and print one comparison table (repeatable)", (v: string, acc: string[] = []) => [...acc, v])
    .addOption(new Option("--sweep-worker <file>", "runs of a sweep (a file holding a JSON array of settings): each run's report and statistics as one line of JSON").hideHelp())
    .action(async (o: ReplayOpts) => {
      if (o.format !== undefined && !isReplayFormat(o.format)) throw new CliError(`--format ${JSON.stringify(o.format)}: expected one of ${REPLAY_FORMATS.join(", ")}`, EXIT_USAGE);
      if (o.instrument !== undefined && !isInstrumentName(o.instrument)) throw new CliError(`--instrument ${JSON.stringify(o.instrument)}: expected a name such as USD_JPY`, EXIT_USAGE);
      const from = parseWhen("--from", o.from);
      const to = parseWhen("--to", o.to);
      if (from !== undefined && to !== undefined && to <= from) throw new CliError(`--to ${o.to} must be after --from ${o.from}`, EXIT_USAGE);
      if (o.compareModels) {
        for (const [flag, set] of [["--sweep", (o.sweep?.length ?? 0) > 0], ["--html", o.html !== undefined], ["--trades", o.trades !== undefined]] as const) {
          if (set) throw new CliError(`${flag} goes with one run; leave it out with --compare-models`, EXIT_USAGE);
        }
      }
      if (o.sweep && o.sweep.length > 0) {
        if (o.trades) throw new CliError("--trades writes one run's trades; leave it out with --sweep", EXIT_USAGE);
        if (o.json) throw new CliError("--json prints one run's report; leave it out with --sweep", EXIT_USAGE);
        const window = o.from || o.to ? ` [${o.from ?? "start"}, ${o.to ?? "end"})` : "";
        await (await outputs()).runSweep(o.sweep, dataArgs(o), { html: o.html, input: `${o.ticks}${o.askFile ? ` + ${o.askFile}` : ""}${window}` });
        return;
      }
      const { config } = loadCliConfig();
      const log = await replayLogger(config.LOG_LEVEL);
      const scenario = o.scenario ? readScenarioJson(o.scenario) : undefined;
      const started = performance.now();
      try {
        const guessed = chooseInstrument(o, scenario) ?? "USD_JPY";
        const source = readTicks({ ticksPath: o.ticks, askPath: o.askFile, format: o.format as never, instrument: guessed });
        // The pricing stream names its instrument; a flag still wins.
        const instrument = o.instrument ?? source.instrument ?? guessed;
        const run = (brokerModel?: "japan" | "memo") =>
          runReplay({ config, source, instrument, scenario, ticksFile: o.ticks, askFile: o.askFile, from, to, log, collect: Boolean(o.html), brokerModel });
        if (o.compareModels) {
          const both = { japan: (await run("japan")).report, memo: (await run("memo")).report };
          writeStdout(o.json ? `${JSON.stringify(both, null, 2)}\n` : formatComparison(both));
          if (!o.json) writeStderr(`replayed ${both.japan.ticks.replayed} ticks twice in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
          return;
        }
        if (o.sweepWorker !== undefined) {
          // One process, many runs: the data read and the code warmed once. Each run's settings
          // override the environment as they would in a child's own environment.
          const { workerOutput } = await outputs();
          for (const settings of sweepRuns(o.sweepWorker)) {
            const c = loadCliConfig(settings).config;
            const r = await runReplay({ config: c, source, instrument, scenario, ticksFile: o.ticks, askFile: o.askFile, from, to, log: await replayLogger(c.LOG_LEVEL) });
            writeStdout(workerOutput(r));
          }
          return;
        }
        const result = await run();
        const { report } = result;
        const times = () => Array.from(tickWindow(source, instrument, from, to, {}) ?? [], (t) => t.time);
        if (o.html || o.trades) (await outputs()).writeRunOutputs(result, { html: o.html, trades: o.trades, times, notes: volumeBlind(source.bars !== undefined, config) ? [VOLUME_ON_BARS] : [] });
        writeStdout(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
        // Timing is not part of the report (same input, same report); it goes to stderr.
        if (!o.json) writeStderr(`replayed ${report.ticks.replayed} ticks in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      } catch (e) {
        throw replayFailure("replay", e, o.scenario);
      }
    });
}
