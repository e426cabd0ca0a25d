// "Did you mean ...?" for settings and commands: a misspelt name must stop start-up loudly, never
// be ignored while the default silently applies.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known name closest to `name` within `maxEdits`, or undefined. Ties go to the first known. */
export function nearest(name: string, known: readonly string[], maxEdits = 2): string | undefined {
  let best: string | undefined;
  let bestD = maxEdits + 1;
  for (const k of known) {
    const dist = editDistance(name, k);
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  return best;
}
