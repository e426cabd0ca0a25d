// The scorecard's runs: each subject over one data set through the real replay (simulator,
// workers, gate), scored after costs; with walk-forward, the grid is tried on the in-sample part
// and the choice (and the settings in force, for comparison) scored on the out-of-sample part.
// Runs one after another: deterministic, and gentle on a shared machine.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../core/log.ts";
import { runReplay } from "../replay/run.ts";
import { tickWindow } from "../replay/window.ts";
import type { OandaTransaction } from "../ledger/index.ts";
import type { DataSet } from "./dataset.ts";
import { emptyScore, scoreReplayRun, tradingDaysOf, verdictOf, type RunScore, type Verdict } from "./score.ts";
import type { Subject } from "./subjects.ts";
import { chooseInSample, splitAt, type Candidate, type Window } from "./walk-forward.ts";

export type { RunScore } from "./score.ts";

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
    /** Trading days of the whole data set (the split's day is in both parts). */
    days: number;
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
  verdict: Verdict | "unsuited";
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

/**
 * The times of the ticks a run over `w` plays (the whole data set without one), as replay's own
 * window picks them; found once a window, since every candidate of a walk-forward step plays the same one.
 */
const windowTimesCache = new WeakMap<DataSet, Map<string, number[]>>();
function windowTimes(ds: DataSet, w: Window | undefined): number[] {
  let byWindow = windowTimesCache.get(ds);
  if (!byWindow) windowTimesCache.set(ds, (byWindow = new Map()));
  const key = w ? `${w.from}..${w.to}` : "all";
  let times = byWindow.get(key);
  if (!times) {
    const win = tickWindow(ds.source, ds.instrument, w?.from, w?.to, {});
    times = win ? Array.from(win, (t) => t.time) : [];
    byWindow.set(key, times);
  }
  return times;
}

export async function scoreWindow(ds: DataSet, subject: Subject, settings: Record<string, string>, w: Window | undefined, o: EvaluateOptions): Promise<RunScore> {
  const config = o.configFor({ ...subject.settings, ...settings });
  const times = windowTimes(ds, w);
  if (times.length === 0) return emptyScore(0);
  const { transactions } = await runReplay({
    config, source: ds.source, instrument: ds.instrument, scenario: o.scenario, ticksFile: ds.label, from: w?.from, to: w?.to, log: o.log,
  });
  const { days, scores } = scoreReplayRun(transactions as unknown as OandaTransaction[], ds.instrument, times);
  const score = scores.get(subject.scoreKey) ?? emptyScore(days);
  const settingsText = Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(" ");
  o.onRun?.(`${subject.name} on ${ds.label}${w ? ` ${new Date(w.from).toISOString()}..${new Date(w.to).toISOString()}` : ""}${settingsText ? ` ${settingsText}` : ""}`, score);
  return score;
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
    return { ...head, full, verdict: verdictOf(full, o.minTrades) };
  }

  const times = windowTimes(ds, undefined);
  const split = splitAt(times[0]!, times[times.length - 1]!, o.walkForward);
  const grid: Candidate[] = subject.grid(base);
  const { chosen, tried } = await chooseInSample(grid, split.inSample, (c, w) => scoreWindow(ds, subject, c.settings, w, o), betterInSample(o.minTrades));
  const outOfSample = await scoreWindow(ds, subject, chosen.candidate.settings, split.outOfSample, o);
  const outOfSampleCurrent = chosen.candidate === grid[0] ? outOfSample : await scoreWindow(ds, subject, grid[0]!.settings, split.outOfSample, o);
  return {
    ...head,
    walkForward: {
      split: new Date(split.at).toISOString(),
      days: tradingDaysOf(times).length,
      inSampleDays: tried[0]!.score.days,
      outOfSampleDays: outOfSample.days,
      tried: tried.map((t) => ({ label: t.candidate.label, settings: t.candidate.settings, inSample: t.score })),
      chosen: chosen.candidate.label,
      chosenSettings: chosen.candidate.settings,
      outOfSample,
      outOfSampleCurrent,
    },
    verdict: verdictOf(outOfSample, o.minTrades),
  };
}
