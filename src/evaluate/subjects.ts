// What the scorecard scores: each entry strategy alone (the other entry workers and the balancer
// off, so its numbers are its own), and every entry worker together with the balancer. Each has a
// small grid of settings for walk-forward; the first candidate is always the settings in force.
// A grid is every combination of a few axes: the strategy's own parameters (the one or two that
// set how strict its rule is, each at the value in force and one or two stricter or looser), and
// two take-profit/stop-loss pairs (the ones in force and a wider pair that pays the spread a
// smaller share). Every candidate is a full replay, so the axes are few: 4 to 8 candidates.
import type { Config } from "../config/schema.ts";
import { MICRO_STRATEGIES, parseMicroStrategyParams } from "../config/schema.ts";
import { defaultStrategies } from "../workers/micro_multistrat/strategies/index.ts";
import type { MicroStrategyName } from "../workers/micro_multistrat/strategy.ts";
import type { Candidate } from "./walk-forward.ts";

export interface DataShape {
  /** Median gap between ticks, ms. */
  medianGapMs: number;
  spanHours: number;
  /** Read from bars (each bar replayed as four ticks), not from ticks. */
  bars: boolean;
}

/** Why volume rules say nothing on bars: shown with every scorecard that ran micro strategies on bars. */
export const VOLUME_ON_BARS =
  "Volume is not evaluable on bar data: replay turns each bar into four ticks, so every M1 candle has the same tick volume, and the bar files carry none of their own (FXCM bars have no volume, LEAN quote bars' sizes are 0). momentum_burst's volume test never passes there, and vwap_band's VWAP is a plain mean of closes. Evaluate them on ticks.";

/** The strategies whose rules read tick volume. */
const VOLUME_STRATEGIES = ["momentum_burst", "vwap_band"] as const;

export interface Subject {
  /** fast_scalp, micro:<strategy>, or all. */
  name: string;
  /** The trade tag's strategy that is scored ("all" = every trade). */
  scoreKey: string;
  /** Settings that make the run this subject alone. */
  settings: Record<string, string>;
  grid: (c: Config) => Candidate[];
  /** Why this data does not suit the subject, or undefined when it does. */
  unsuited: (d: DataShape, c: Config) => string | undefined;
}

const tpSl = (tpVar: string, slVar: string, current: [number, number], more: [number, number][]): Candidate[] => {
  const pairs: [number, number][] = [current, ...more.filter(([tp, sl]) => tp !== current[0] || sl !== current[1])];
  return pairs.map(([tp, sl]) => ({ label: `tp ${tp} / sl ${sl}`, settings: { [tpVar]: String(tp), [slVar]: String(sl) } }));
};

/** One setting's axis: the value in force first, then the others that differ from it. */
const axis = (name: string, label: string, current: number, others: number[]): Candidate[] =>
  [current, ...others.filter((v) => v !== current)].map((v) => ({ label: `${label} ${v}`, settings: { [name]: String(v) } }));

/** Every combination of the axes, in order (the first axis varies slowest): the settings in force first. */
function product(axes: readonly Candidate[][]): Candidate[] {
  return axes.reduce<Candidate[]>((acc, ax) => acc.flatMap((a) => ax.map((b) => ({ label: a.label ? `${a.label}, ${b.label}` : b.label, settings: { ...a.settings, ...b.settings } }))), [{ label: "", settings: {} }]);
}

/** The alternatives tried for each micro strategy's own parameters (their values in force come first). */
const MICRO_PARAM_GRID: Record<MicroStrategyName, Record<string, number[]>> = {
  momentum_burst: { bodyAtrMult: [2, 2.5] },
  pullback_ema: { minTrendAtr: [1] , touchAtrFrac: [0.1] },
  range_break: { maxWidthAtr: [4], breakAtrFrac: [0.5] },
  vwap_band: { bandAtrMult: [2.5, 3] },
  trend_momentum: { minGapAtr: [0.6], rsiEnter: [60] },
};

/** A micro strategy's parameter axes: each combination is one MICRO_STRATEGY_PARAMS value naming all of them. */
function microParamAxis(s: MicroStrategyName, c: Config): Candidate[] {
  const parsed = parseMicroStrategyParams(c.MICRO_STRATEGY_PARAMS);
  const inForce = defaultStrategies("params" in parsed ? parsed.params : {})[s].params as Record<string, number>;
  const combos = product(Object.entries(MICRO_PARAM_GRID[s]).map(([p, others]) => axis(p, p, inForce[p]!, others)));
  return combos.map((k) => {
    const values = { ...inForce, ...Object.fromEntries(Object.entries(k.settings).map(([p, v]) => [p, Number(v)])) };
    return { label: k.label, settings: { MICRO_STRATEGY_PARAMS: Object.entries(values).map(([p, v]) => `${s}.${p}=${v}`).join(",") } };
  });
}

const OFF = { FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0" };

/** Whether a run on this data with these settings has volume rules that cannot work (bars, and a volume strategy allowed). */
export function volumeBlind(bars: boolean, c: Config): boolean {
  return bars && c.MICRO_MULTISTRAT_ENABLED && VOLUME_STRATEGIES.some((s) => (c.MICRO_STRATEGY_ALLOWLIST as readonly string[]).includes(s));
}

/** M1 strategies need candles: EMA50 and a day's rhythm. Less than this is not a test. */
const MICRO_MIN_HOURS = 12;

export function subjects(): Subject[] {
  const fast: Subject = {
    name: "fast_scalp",
    scoreKey: "tick_momentum",
    settings: { ...OFF, FAST_SCALP_ENABLED: "1" },
    grid: (c) => product([
      axis("FAST_SCALP_MOMENTUM_SPREAD_MULT", "momentum x spread", c.FAST_SCALP_MOMENTUM_SPREAD_MULT, [3]),
      axis("FAST_SCALP_MOMENTUM_RANGE_FRAC", "x range", c.FAST_SCALP_MOMENTUM_RANGE_FRAC, [0.8]),
      tpSl("FAST_SCALP_TP_PIPS", "FAST_SCALP_SL_PIPS", [c.FAST_SCALP_TP_PIPS, c.FAST_SCALP_SL_PIPS], [[3, 4], [10, 6]]),
    ]),
    unsuited: (d, c) => (d.medianGapMs > c.FAST_SCALP_MAX_SIGNAL_AGE_MS ? `prices ${Math.round(d.medianGapMs / 1000)} s apart (bars, not ticks): its signal_stale gate refuses them` : undefined),
  };
  const micro = MICRO_STRATEGIES.map((s): Subject => ({
    name: `micro:${s}`,
    scoreKey: s,
    settings: { ...OFF, MICRO_MULTISTRAT_ENABLED: "1", MICRO_STRATEGY_ALLOWLIST: s },
    grid: (c) => product([microParamAxis(s, c), tpSl("MICRO_TP_PIPS", "MICRO_SL_PIPS", [c.MICRO_TP_PIPS, c.MICRO_SL_PIPS], [[8, 6], [20, 10]])]),
    unsuited: (d) =>
      d.spanHours < MICRO_MIN_HOURS ? `${d.spanHours.toFixed(1)} h of data: M1 strategies need at least ${MICRO_MIN_HOURS} h`
      : s === "momentum_burst" && d.bars ? "bar data: every candle has the same tick volume, so its volume test can never pass" : undefined,
  }));
  const all: Subject = {
    name: "all",
    scoreKey: "all",
    settings: { FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "1", MICRO_STRATEGY_ALLOWLIST: "all", HEDGE_BALANCER_ENABLED: "1" },
    grid: () => [{ label: "as configured", settings: {} }],
    unsuited: () => undefined,
  };
  return [fast, ...micro, all];
}

export function subjectNames(): string[] {
  return subjects().map((s) => s.name);
}
