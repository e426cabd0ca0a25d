// A signal whose orders went out in legs (a position close's two sides, one close per trade, a
// pair close's legs) is answered as ONE settled order: what the gate records, the workers and
// alerts hear (signal_settled), and replay counts.
import type { SettledOrder } from "../core/order-events.ts";

/**
 * The legs summed up: filled only if every leg filled, else as the first leg that did not (its
 * status and reason: the legs stop there); the units the signal asked for, and those filled over
 * every leg. `shown` is the leg that speaks for an all-filled signal (price, outcome kind).
 */
export function sumLegs(legs: readonly SettledOrder[], whole: { clientId: string; units: number }, shown: SettledOrder = legs[0]!): SettledOrder {
  const notFilled = legs.find((l) => l.status !== "filled");
  return { ...(notFilled ?? shown), clientId: whole.clientId, units: whole.units, filledUnits: legs.reduce((n, l) => n + (l.filledUnits ?? 0), 0) };
}
