// Shared fixtures for the simulator tests: an engine on a manual clock, and order helpers.
import { SimEngine, parseScenario, type ScenarioInput } from "../../src/sim/index.ts";

export class ManualClock {
  constructor(public t = Date.UTC(2025, 11, 30, 1, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * An engine on a manual clock with the scenario's defaults (OANDA Japan: larger-side margin,
 * the 100% loss-cut, financing, maintenance), except that fills do not slip unless the test
 * asks: exact prices make the facts under test plain.
 */
export function engineWith(s: ScenarioInput = {}, clock = new ManualClock()): SimEngine {
  return new SimEngine(parseScenario({ ticks: { source: "fixed" }, execution: { slippagePips: 0 }, ...s }), clock);
}

export function market(units: number, extra: Record<string, unknown> = {}) {
  return { order: { type: "MARKET", instrument: "USD_JPY", units: String(units), timeInForce: "FOK", ...extra } };
}

type J = Record<string, any>;
export const body = (r: { body: unknown }) => r.body as J;
