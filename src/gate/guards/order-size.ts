// Order-size limits (issue 12), pure. An entry is the smallest of what was asked and every limit;
// when a limit made it smaller the decision names that limit (`resized`, `limitedBy`), never a
// plain `ok`, so an operator who asked for 10,000,000 units sees why 56,775 went out.

export type SizeLimit = "margin_budget" | "dir_cap" | "low_free_margin" | "pocket_side_limit" | "max_order_units" | "max_instrument_units" | "unit_precision" | string;

export interface SizeInput {
  /** What the signal asked for; undefined means "as much as allowed". */
  requested?: number;
  /** Each limit's room in units, by name (Infinity = no limit). */
  limits: Array<[SizeLimit, number]>;
}

export interface SizeResult {
  units: number;
  /** The limit that made the order smaller than requested; undefined when it was not resized. */
  limitedBy?: SizeLimit;
}

export function sizeEntry(input: SizeInput): SizeResult {
  let units = input.requested ?? Number.POSITIVE_INFINITY;
  let limitedBy: SizeLimit | undefined;
  for (const [name, room] of input.limits) {
    const r = Math.max(0, room);
    if (r < units) {
      units = r;
      limitedBy = name;
    }
  }
  return input.requested === undefined ? { units } : { units, limitedBy };
}

/** Room left on one side of one instrument under MAX_INSTRUMENT_UNITS (open + in flight). */
export function instrumentRoom(sideUnitsNow: number, maxInstrumentUnits: number): number {
  return Math.max(0, maxInstrumentUnits - sideUnitsNow);
}
