// The scorecard's runs: each subject over one data set through the real replay (simulator,
// workers, gate), scored after costs; with walk-forward, the grid is tried on the in-sample part
// and the choice (and the settings in force, for comparison) scored on the out-of-sample part.
// Runs one after another: deterministic, and gentle on a shared machine.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../core/log.ts";
import { runReplay } from "../replay/run.ts";
import type { OandaTransaction } from "../ledger/index.ts";
import type { DataSet } from "./dataset.ts";
import { scoreRun, tradingDaysOf, type Score } from "./score.ts";
import type { Subject } from "./subjects.ts";
import { chooseInSample, splitAt, type Candidate, type Window } from "./walk-forward.ts";

export interface RunScore extends Score {
  /** Trading days of data the run stood on. */
  days: number;
}

export interface SubjectResult {
  subject: string;
  dataSet: string;
  instrument: string;
  /** Why the data does not suit the subject (then nothing ran). */
  unsuited?: string;
  /** The settings in force, over the whole data set (without walk-forward; with it, the in-sample and out-of-sample runs stand in). */
  full?: RunScore;
  walkForward?: {
    split: string;
    inSampleDays: number;
    outOfSampleDays: number;
    tried: { label: string; settings: Record<string, string>; inSample: RunScore }[];
    chosen: string;
    chosenSettings: Record<string, string>;
    outOfSample: RunScore;
    /** The settings in force, out of sample (the same run when they were chosen). */
    outOfSampleCurrent: RunScore;
  };
  /** beats_costs, loses_after_costs, too_few_trades: out of sample when walked forward, else on the whole data set. */
  verdict: "beats_costs" | "loses_after_costs" | "too_few_trades" | "unsuited";
}

export interface EvaluateOptions {
  /** The configuration for a set of overriding settings (the user's environment plus them). */
  configFor: (settings: Record<string, string>) => Config;
  scenario?: unknown;
  /** In-sample share of each data set's time span; undefined = no walk-forward. */
  walkForward?: number;
  /** A run with fewer closed trades than this proves nothing either way. */
  minTrades: number;
  log?: Logger;
  /** Called after each replay with what ran and its score (progress on stderr). */
  onRun?: (what: string, score?: RunScore) => void;
}

const EMPTY_SCORE = (days: number): RunScore => ({
  days, trades: 0, openAtEnd: 0, tradesPerDay: 0, winRate: null, profitFactor: null, expectancyPips: null, netPL: 0, maxDrawdown: 0,
  sharpe: null, spreadCost: 0, slippageCost: 0, financing: 0, spreadShare: null,
});

export async function scoreWindow(ds: DataSet, subject: Subject, settings: Record<string, string>, w: Window | undefined, o: EvaluateOptions): Promise<RunScore> {
  const config = o.configFor({ ...subject.settings, ...settings });
  const times = ds.source.ticks.filter((t) => t.instrument === ds.instrument && (!w || (t.time >= w.from && t.time < w.to))).map((t) => t.time);
  const days = tradingDaysOf(times);
  if (times.length === 0) return EMPTY_SCORE(0);
  const { transactions } = await runReplay({
    config, source: ds.source, instrument: ds.instrument, scenario: o.scenario, ticksFile: ds.label, from: w?.from, to: w?.to, log: o.log,
  });
  // OANDA's pip: the second decimal for JPY-quoted pairs, the fourth otherwise.
  const pip = ds.instrument.endsWith("_JPY") ? 0.01 : 0.0001;
  const scores = scoreRun(transactions as unknown as OandaTransaction[], { pip, days });
  const score = { days: days.length, ...(scores.get(subject.scoreKey) ?? EMPTY_SCORE(days.length)) };
  const settingsText = Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(" ");
  o.onRun?.(`${subject.name} on ${ds.label}${w ? ` ${new Date(w.from).toISOString()}..${new Date(w.to).toISOString()}` : ""}${settingsText ? ` ${settingsText}` : ""}`, score);
  return score;
}

function verdict(s: RunScore, minTrades: number): SubjectResult["verdict"] {
  if (s.trades < minTrades) return "too_few_trades";
  return s.netPL > 0 && (s.profitFactor === null || s.profitFactor > 1) ? "beats_costs" : "loses_after_costs";
}

/** In-sample choice: the most net P/L among candidates with enough trades; ties keep the earlier (the settings in force first). */
export const betterInSample = (minTrades: number) => (a: RunScore, b: RunScore): boolean => {
  if (a.trades < minTrades) return false;
  if (b.trades < minTrades) return true;
  return a.netPL > b.netPL;
};

export async function evaluateSubject(ds: DataSet, subject: Subject, o: EvaluateOptions): Promise<SubjectResult> {
  const head = { subject: subject.name, dataSet: ds.label, instrument: ds.instrument };
  const base = o.configFor(subject.settings);
  const why = subject.unsuited(ds.shape, base);
  if (why) return { ...head, unsuited: why, verdict: "unsuited" };
  if (o.walkForward === undefined) {
    const full = await scoreWindow(ds, subject, {}, undefined, o);
    return { ...head, full, verdict: verdict(full, o.minTrades) };
  }

  const ticks = ds.source.ticks.filter((t) => t.instrument === ds.instrument);
  const split = splitAt(ticks[0]!.time, ticks[ticks.length - 1]!.time, o.walkForward);
  const grid: Candidate[] = subject.grid(base);
  const { chosen, tried } = await chooseInSample(grid, split.inSample, (c, w) => scoreWindow(ds, subject, c.settings, w, o), betterInSample(o.minTrades));
  const outOfSample = await scoreWindow(ds, subject, chosen.candidate.settings, split.outOfSample, o);
  const outOfSampleCurrent = chosen.candidate === grid[0] ? outOfSample : await scoreWindow(ds, subject, grid[0]!.settings, split.outOfSample, o);
  return {
    ...head,
    walkForward: {
      split: new Date(split.at).toISOString(),
      inSampleDays: tried[0]!.score.days,
      outOfSampleDays: outOfSample.days,
      tried: tried.map((t) => ({ label: t.candidate.label, settings: t.candidate.settings, inSample: t.score })),
      chosen: chosen.candidate.label,
      chosenSettings: chosen.candidate.settings,
      outOfSample,
      outOfSampleCurrent,
    },
    verdict: verdict(outOfSample, o.minTrades),
  };
}
