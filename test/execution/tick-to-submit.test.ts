// tick-to-submit is measured on the monotonic clock from the tick's stream stamp to the order
// request, after the intent is journaled: one observation per order, never a wall-clock guess.
import { afterEach, describe, expect, it } from "vitest";
import { MetricsRegistry } from "../../src/metrics/registry.ts";
import { entry, jpyScenario, type Rig, startRig } from "../helpers/trading-rig.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("tick-to-submit", () => {
  it("uses the tick's monotonic stamp when the signal carries one, the receive time otherwise", async () => {
    const seen: number[] = [];
    // The agent's own registry, with each observation also kept for the exact bounds below.
    const metrics = new (class extends MetricsRegistry {
      override tickToSubmit(seconds: number): void {
        seen.push(seconds);
        super.tickToSubmit(seconds);
      }
    })();
    rig = await startRig({ scenario: jpyScenario(), hooks: { metrics } });
    // Stamped 2 s ago on the monotonic clock, with a wall-clock receive time saying "just now":
    // the figure must come from the monotonic stamp.
    const mono = performance.now() - 2_000;
    const before = performance.now();
    const d = await rig.gate.process(entry({ tickReceivedMono: mono, tickReceivedAt: Date.now(), proposedUnits: 1_000 }));
    const after = performance.now();
    expect(d).toMatchObject({ outcome: "accepted" });
    expect(seen).toHaveLength(1);
    expect(seen[0]!).toBeGreaterThanOrEqual((before - mono) / 1000);
    expect(seen[0]!).toBeLessThanOrEqual((after - mono) / 1000);
    // Without the stamp (a replayed tick), the receive time on the agent's clock is used.
    await rig.gate.process(entry({ tickReceivedAt: Date.now() - 3_000, proposedUnits: 1_000 }));
    expect(seen).toHaveLength(2);
    expect(seen[1]!).toBeGreaterThanOrEqual(3);
  });
});
