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

export function engineWith(s: ScenarioInput = {}, clock = new ManualClock()): SimEngine {
  return new SimEngine(parseScenario({ ticks: { source: "fixed" }, ...s }), clock);
}

export function market(units: number, extra: Record<string, unknown> = {}) {
  return { order: { type: "MARKET", instrument: "USD_JPY", units: String(units), timeInForce: "FOK", ...extra } };
}

type J = Record<string, any>;
export const body = (r: { body: unknown }) => r.body as J;
