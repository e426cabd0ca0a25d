// The agent's memory of the gate's decisions, by signal id: what a repeated operator id is
// answered with (the first decision, always), and which ids have a copy on its way to the gate.
import { describe, expect, it } from "vitest";
import { DecisionMemory } from "../../src/agent/decisions.ts";
import { decisionFor } from "../../src/gate/decision.ts";

const signal = { id: "op-x", worker: "operator" as const, strategy: "operator", pocket: "macro" as const, instrument: "USD_JPY", side: "buy" as const };

describe("DecisionMemory", () => {
  it("keeps the first decision for an id; a later one only wakes whoever waits", async () => {
    const m = new DecisionMemory();
    const filled = { ...decisionFor(signal, "accepted", "ok", {}), orderStatus: "filled" as const };
    const dropped = decisionFor(signal, "skipped", "signal_stale", { droppedBy: "signal_bus" });
    m.record(filled);
    expect(m.get("op-x")).toBe(filled);
    const waiting = new DecisionMemory();
    const w = waiting.wait("op-x", 5_000);
    waiting.record(dropped);
    expect(await w).toBe(dropped);
    m.record(dropped);
    expect(m.get("op-x")).toBe(filled);
    expect(await m.wait("op-x", 5_000)).toBe(filled);
  });

  it("one copy of an id in flight: claimed until decided or released", () => {
    const m = new DecisionMemory();
    expect(m.claim("op-x")).toBe(true);
    expect(m.claim("op-x")).toBe(false);
    m.record(decisionFor(signal, "skipped", "kill_switch", {}));
    expect(m.claim("op-x")).toBe(true);
    m.release("op-x");
    expect(m.claim("op-x")).toBe(true);
  });
});
