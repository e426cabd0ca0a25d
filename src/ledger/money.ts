// Money sums in ten-thousandths: OANDA reports amounts to 4 decimals, and summing thousands of
// floats must still match the broker's balance to the yen (and beyond).

const SCALE = 10_000;

/** A decimal amount as whole ten-thousandths. */
export function toUnits(x: number): number {
  return Math.round(x * SCALE);
}

export function fromUnits(n: number): number {
  return n / SCALE;
}

/** Sum amounts exactly at 4 decimals. */
export function sumMoney(xs: Iterable<number>): number {
  let n = 0;
  for (const x of xs) n += toUnits(x);
  return fromUnits(n);
}

export function addMoney(a: number, b: number): number {
  return fromUnits(toUnits(a) + toUnits(b));
}

/** A number from an OANDA field ("12.3400", 12.34, undefined). */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
