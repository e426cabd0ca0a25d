// Which entry workers run, and why the ones that ship switched off are off: `sekisho check` prints
// it, so an operator never wonders why paper mode places no entry orders, and is told what the
// scorecard measured before switching a losing strategy on. The figures are the out-of-sample
// results in docs/workers.md ("The scorecard").
import type { Config } from "../config/schema.ts";

export interface EntryWorkerStatus {
  worker: "fast_scalp" | "micro_multistrat";
  enabled: boolean;
  /** The variable that switches it (1 = on). */
  variable: "FAST_SCALP_ENABLED" | "MICRO_MULTISTRAT_ENABLED";
  /** What the scorecard measured out of sample, after costs. */
  scorecard: string;
}

const SCORECARD_VERDICTS = {
  fast_scalp: "off by default: on OANDA's own EUR/USD ticks it lost after costs out of sample (40 trades, profit factor 0.54, -2.1 pips a trade; the spread took 42% of what its winners made; see docs/workers.md, The scorecard)",
  micro_multistrat: "off by default: no strategy beat its costs out of sample on the minute bars here (pullback_ema, the best in sample, lost 1.4 pips a trade on USD/JPY and 6.5 on EUR/USD out of sample; see docs/workers.md, The scorecard)",
} as const;

export function entryWorkerStatus(c: Config): EntryWorkerStatus[] {
  return [
    { worker: "fast_scalp", enabled: c.FAST_SCALP_ENABLED, variable: "FAST_SCALP_ENABLED", scorecard: SCORECARD_VERDICTS.fast_scalp },
    { worker: "micro_multistrat", enabled: c.MICRO_MULTISTRAT_ENABLED, variable: "MICRO_MULTISTRAT_ENABLED", scorecard: SCORECARD_VERDICTS.micro_multistrat },
  ];
}

/** One line per entry worker for a human: off and how to turn it on, or on and what it measured. */
export function entryStatusLines(c: Config): string[] {
  return entryWorkerStatus(c).map((s) =>
    s.enabled
      ? `${s.worker} is ON (${s.variable}=1); the scorecard says: ${s.scorecard.replace(/^off by default: /, "")}`
      : `${s.worker} is off (${s.variable}=1 turns it on); ${s.scorecard}`,
  );
}
