// One table of instrument facts. Built-in values match OANDA Japan (4% margin on majors,
// i.e. 25x leverage); the OANDA adapter overwrites them from GET /v3/accounts/{id}/instruments.
import type { InstrumentSpec } from "./types.ts";

const BUILT_IN: InstrumentSpec[] = [
  spec("USD_JPY", -2, 3),
  spec("EUR_JPY", -2, 3),
  spec("GBP_JPY", -2, 3),
  spec("AUD_JPY", -2, 3),
  spec("EUR_USD", -4, 5),
  spec("GBP_USD", -4, 5),
  spec("AUD_USD", -4, 5),
  spec("NZD_USD", -4, 5),
  spec("USD_CHF", -4, 5),
  spec("USD_CAD", -4, 5),
];

function spec(name: string, pipLocation: number, displayPrecision: number): InstrumentSpec {
  const [base, quote] = name.split("_") as [string, string];
  return { name, base, quote, pipLocation, displayPrecision, tradeUnitsPrecision: 0, minimumTradeSize: 1, marginRate: 0.04 };
}

export class InstrumentTable {
  readonly #specs = new Map<string, InstrumentSpec>();

  constructor(specs: InstrumentSpec[] = BUILT_IN) {
    for (const s of specs) this.#specs.set(s.name, { ...s });
  }

  /** Replace or add facts, e.g. from OANDA's instruments endpoint. */
  upsert(s: InstrumentSpec): void {
    this.#specs.set(s.name, { ...s });
  }

  has(name: string): boolean {
    return this.#specs.has(name);
  }

  get(name: string): InstrumentSpec {
    const s = this.#specs.get(name) ?? guess(name);
    if (!s) throw new Error(`unknown instrument ${name}: expected BASE_QUOTE such as USD_JPY`);
    return s;
  }

  all(): InstrumentSpec[] {
    return [...this.#specs.values()];
  }
}

/** Unknown but well-formed names get conservative defaults (JPY quotes use 2-decimal pips). */
function guess(name: string): InstrumentSpec | undefined {
  const m = /^([A-Z]{3})_([A-Z]{3})$/.exec(name);
  if (!m) return undefined;
  return m[2] === "JPY" ? spec(name, -2, 3) : spec(name, -4, 5);
}

export function isInstrumentName(name: string): boolean {
  return /^[A-Z0-9]{2,10}_[A-Z0-9]{2,10}$/.test(name);
}

/** 10 ** pipLocation, worked out once per location (toPips runs on every tick). */
const PIP_SIZES = new Map<number, number>();

export function pipSize(s: InstrumentSpec): number {
  let p = PIP_SIZES.get(s.pipLocation);
  if (p === undefined) PIP_SIZES.set(s.pipLocation, (p = 10 ** s.pipLocation));
  return p;
}

/**
 * A price difference in pips, rounded to a millionth of a pip: prices are decimals, so
 * 155.010 - 155.000 is exactly one pip, not the 1.0000000000002 binary arithmetic gives (which
 * would fail a "spread <= 1.0 pip" limit that the quote meets).
 */
export function toPips(s: InstrumentSpec, priceDiff: number): number {
  return Math.round((priceDiff / pipSize(s)) * 1e6) / 1e6;
}

/** Floor a unit count to the instrument's unit precision (never rounds up: money safety). */
export function floorUnits(units: number, precision: number): number {
  if (!Number.isFinite(units) || units <= 0) return 0;
  const f = 10 ** precision;
  // The epsilon absorbs binary noise such as 72999.99999999999 for an exact 73000.
  return Math.floor(units * f + 1e-7) / f;
}

/** Format a price the way OANDA expects it in a request (fixed decimals, no exponent). */
export function formatPrice(s: InstrumentSpec, price: number): string {
  return price.toFixed(s.displayPrecision);
}

export const defaultInstruments = (): InstrumentTable => new InstrumentTable();
