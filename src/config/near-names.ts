// "Did you mean ...?" for settings and commands: a misspelt name must stop start-up loudly, never
// be ignored while the default silently applies.

// Three rolling rows, kept between calls: this runs for every environment variable against
// every setting name of a similar length at each start-up (a command's, the agent's), so it
// allocates nothing per pair.
let prev2: number[] = [];
let prev: number[] = [];
let cur: number[] = [];

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), or `limit + 1`
 * as soon as it is certain to exceed `limit`: a row's cells are at least the smaller of the row
 * before's least and the row before that's least plus one, so once two rows in a row are past the
 * limit every later one is.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const n = b.length;
  for (let j = 0; j <= n; j++) {
    prev2[j] = 0;
    prev[j] = j;
  }
  let prevMin = 0;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit && prevMin > limit) return limit + 1;
    prevMin = rowMin;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[n]!, limit + 1);
}

/** The known name closest to `name` within `maxEdits`, or undefined. Ties go to the first known. */
export function nearest(name: string, known: readonly string[], maxEdits = 2): string | undefined {
  let best: string | undefined;
  let bestD = maxEdits + 1;
  for (const k of known) {
    // The distance is at least the difference in length: most names are ruled out unread.
    if (Math.abs(k.length - name.length) >= bestD) continue;
    const dist = editDistance(name, k, bestD - 1);
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  return best;
}
