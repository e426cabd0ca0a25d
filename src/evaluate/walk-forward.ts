// Walk-forward without look-ahead: a data set is cut at one time; the parameters are chosen on
// what came before the cut (in sample) and scored on what came after (out of sample). The
// choosing step is handed only the in-sample window, so nothing after the cut can change the
// choice (a property test alters later prices and checks exactly that).

export interface Window {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface Split {
  inSample: Window;
  outOfSample: Window;
  /** The cut: first moment of the out-of-sample part. */
  at: number;
}

/**
 * Cut [first, last] at `fraction` of its time span, on a whole minute (so no M1 candle is split
 * between the parts). Depends only on the first and last timestamps, not on any price.
 */
export function splitAt(first: number, last: number, fraction: number): Split {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`the in-sample fraction must be between 0 and 1, got ${fraction}`);
  const at = Math.floor((first + (last - first) * fraction) / 60_000) * 60_000;
  return { inSample: { from: first, to: at }, outOfSample: { from: at, to: last + 1 }, at };
}

export interface Candidate {
  /** Short label, e.g. "tp 8 / sl 6". */
  label: string;
  /** Settings (variable -> value) on top of the run's own. */
  settings: Record<string, string>;
}

export interface Judged<S> {
  candidate: Candidate;
  score: S;
}

/**
 * Score every candidate on the in-sample window and pick the best by `better`; ties keep the
 * earlier candidate (the grid lists the current default first). `run` gets the window it may see.
 */
export async function chooseInSample<S>(
  candidates: readonly Candidate[],
  inSample: Window,
  run: (c: Candidate, w: Window) => Promise<S>,
  better: (a: S, b: S) => boolean,
): Promise<{ chosen: Judged<S>; tried: Judged<S>[] }> {
  if (candidates.length === 0) throw new Error("no candidates to choose from");
  const tried: Judged<S>[] = [];
  for (const c of candidates) tried.push({ candidate: c, score: await run(c, inSample) });
  let chosen = tried[0]!;
  for (const j of tried.slice(1)) if (better(j.score, chosen.score)) chosen = j;
  return { chosen, tried };
}
