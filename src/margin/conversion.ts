// Base->home conversion at mid: the factor `c` in design.md's margin formulas.
export type MidLookup = (instrument: string) => number | undefined;

/**
 * `${base}_${quote}`, made once per pair: a conversion runs several times per tick, and a name
 * built afresh each time must be flattened and hashed again for every lookup by it.
 */
const PAIR_NAMES = new Map<string, Map<string, string>>();

function pairName(base: string, quote: string): string {
  let byQuote = PAIR_NAMES.get(base);
  if (!byQuote) PAIR_NAMES.set(base, (byQuote = new Map()));
  let name = byQuote.get(quote);
  if (name === undefined) byQuote.set(quote, (name = `${base}_${quote}`));
  return name;
}

/**
 * How many units of `home` one unit of `base` is worth, from the mids available.
 * Tries BASE_HOME, HOME_BASE (inverted), then a cross through USD. Returns undefined when no
 * route exists, so callers refuse to size rather than guess.
 */
export function baseToHome(base: string, home: string, mid: MidLookup): number | undefined {
  if (base === home) return 1;
  const direct = mid(pairName(base, home));
  if (direct && direct > 0) return direct;
  const inverse = mid(pairName(home, base));
  if (inverse && inverse > 0) return 1 / inverse;
  if (base !== "USD" && home !== "USD") {
    const a = baseToHome(base, "USD", mid);
    const b = baseToHome("USD", home, mid);
    if (a && b) return a * b;
  }
  return undefined;
}
