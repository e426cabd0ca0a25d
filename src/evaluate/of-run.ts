// The scorecard of one replay run, for `sekisho replay --html`: the run's trades scored by
// strategy with the same code `sekisho evaluate` scores each of its runs with (score.ts), named
// as evaluate names its subjects, with the same caveat. Unlike evaluate, the strategies here ran
// together as configured, so a strategy's row is its share of that run, not its run alone.
import type { OandaTransaction } from "../ledger/index.ts";
import { caveatFor, type Scorecard } from "./format.ts";
import type { SubjectResult } from "./run.ts";
import { scoreReplayRun, verdictOf } from "./score.ts";
import { subjects } from "./subjects.ts";

/** The scorecard's default for "too few trades to say anything" (evaluate's --min-trades). */
const DEFAULT_MIN_TRADES = 30;

export function runScorecard(
  transactions: readonly unknown[],
  run: { instrument: string; dataLabel: string; times: Iterable<number>; notes?: string[] },
  minTrades = DEFAULT_MIN_TRADES,
): Scorecard {
  const nameOf = new Map(subjects().map((s) => [s.scoreKey, s.name]));
  const { scores } = scoreReplayRun(transactions as readonly OandaTransaction[], run.instrument, run.times);
  const results: SubjectResult[] = [...scores].map(([key, score]) => ({
    subject: nameOf.get(key) ?? key, dataSet: run.dataLabel, instrument: run.instrument, full: score, verdict: verdictOf(score, minTrades),
  }));
  return { caveat: caveatFor(results), ...(run.notes?.length ? { notes: run.notes } : {}), results };
}
