// "Did you mean ...?" for settings and commands: a misspelt name must stop start-up loudly, never
// be ignored while the default silently applies.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  // Three rolling rows instead of a full matrix: this runs for every environment variable
  // against every setting name at start-up, so it must not allocate a matrix each time.
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** The known name closest to `name` within `maxEdits`, or undefined. Ties go to the first known. */
export function nearest(name: string, known: readonly string[], maxEdits = 2): string | undefined {
  let best: string | undefined;
  let bestD = maxEdits + 1;
  for (const k of known) {
    // The distance is at least the difference in length: most names are ruled out unread.
    if (Math.abs(k.length - name.length) >= bestD) continue;
    const dist = editDistance(name, k);
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  return best;
}
