// Order-size limits: MAX_ORDER_UNITS and MAX_INSTRUMENT_UNITS. An operator order above the limit
// is refused (too_large); an order the gate sizes down is `resized` with the limit that did it.
// The pure rule, the gate against the simulator, and the HTTP answer of a real paper agent.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sizeEntry } from "../../../src/gate/guards/order-size.ts";
import { entry, jpyScenario, type Rig, startRig } from "../../helpers/trading-rig.ts";
import type { Agent } from "../../../src/agent/agent.ts";
import { type AgentRig, startAgentRig } from "../../helpers/agent-rig.ts";

describe("sizeEntry", () => {
  it("takes the smallest room and names the limit that made it smaller than asked", () => {
    expect(sizeEntry({ requested: 10_000, limits: [["margin_budget", 65_000], ["max_order_units", 1_000_000]] })).toEqual({ units: 10_000, limitedBy: undefined });
    expect(sizeEntry({ requested: 100_000, limits: [["margin_budget", 65_000], ["max_order_units", 50_000]] })).toEqual({ units: 50_000, limitedBy: "max_order_units" });
    expect(sizeEntry({ requested: 100_000, limits: [["margin_budget", 65_000], ["max_instrument_units", 70_000]] })).toEqual({ units: 65_000, limitedBy: "margin_budget" });
    expect(sizeEntry({ limits: [["margin_budget", 65_000]] })).toEqual({ units: 65_000 });
    expect(sizeEntry({ requested: 5, limits: [["pocket_side_limit", -3]] })).toEqual({ units: 0, limitedBy: "pocket_side_limit" });
  });
});

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("the gate against the simulator", () => {
  it("a worker's entry above MAX_ORDER_UNITS is resized to it, reported as resized with limitedBy", async () => {
    rig = await startRig({ scenario: jpyScenario(), env: { MAX_ORDER_UNITS: "5000" } });
    const d = await rig.gate.process(entry({ worker: "fast_scalp", pocket: "scalp_fast", proposedUnits: 8_000 }));
    expect(d).toMatchObject({ outcome: "accepted", reason: "resized", units: 5_000, detail: { limitedBy: "max_order_units", requestedUnits: 8_000 } });
  });

  it("an operator entry above MAX_ORDER_UNITS is refused: too_large, nothing sent", async () => {
    rig = await startRig({ scenario: jpyScenario(), env: { MAX_ORDER_UNITS: "5000" } });
    const d = await rig.gate.process(entry({ proposedUnits: 8_000 }));
    expect(d).toMatchObject({ outcome: "skipped", reason: "too_large", detail: { requestedUnits: 8_000, limit: 5_000 } });
    expect(await rig.client.openTrades()).toEqual([]);
  });

  it("MAX_INSTRUMENT_UNITS caps a side's open units: resized to the room left, then refused", async () => {
    rig = await startRig({ scenario: jpyScenario({ positions: [{ long: 20_000, short: 0 }] }), env: { MAX_INSTRUMENT_UNITS: "25000", POCKET_RULES: '{"macro":{"cooldownSec":0}}' } });
    const d = await rig.gate.process(entry({ proposedUnits: 10_000 }));
    expect(d).toMatchObject({ outcome: "accepted", reason: "resized", units: 5_000, detail: { limitedBy: "max_instrument_units" } });
    await rig.sync.refresh();
    const again = await rig.gate.process(entry({ proposedUnits: 10_000 }));
    expect(again).toMatchObject({ outcome: "skipped", reason: "max_instrument_units" });
    // The other side is its own room.
    expect(await rig.gate.process(entry({ side: "sell", proposedUnits: 10_000 }))).toMatchObject({ outcome: "accepted", reason: "ok" });
  });

  it("sized down by the margin budget: resized, limitedBy margin_budget, never a plain ok", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "max_side" }), env: { MARGIN_MODEL: "max_side" } });
    const d = await rig.gate.process(entry({ proposedUnits: 500_000 }));
    expect(d.outcome).toBe("accepted");
    expect(d.reason).toBe("resized");
    expect(d.detail.limitedBy).toMatch(/margin_budget|dir_cap/);
    expect(d.units!).toBeLessThan(500_000);
  });
});

describe("POST /control/signal on a 500,000 JPY paper account", () => {
  let rig: AgentRig;
  let agent: Agent;
  let base: string;
  const post = (body: unknown) => rig.post("/control/signal", body);

  beforeAll(async () => {
    rig = await startAgentRig();
    ({ agent, base } = rig);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it("10,000,000 units (above MAX_ORDER_UNITS, default 1,000,000): 422 too_large, nothing sent", async () => {
    const r = await post({ instrument: "USD_JPY", side: "buy", units: 10_000_000 });
    expect(r.status).toBe(422);
    expect((await r.json()).error.code).toBe("too_large");
    expect((await agent.client.openTrades()).length).toBe(0);
  });

  it("500,000 units: sized down by the margin rules and answered resized with the limiting rule", async () => {
    const r = await post({ instrument: "USD_JPY", side: "buy", units: 500_000 });
    expect(r.status).toBe(200);
    const d = await r.json();
    expect(d).toMatchObject({ outcome: "accepted", reason: "resized", orderStatus: "filled" });
    expect(d.units).toBeLessThan(500_000);
    expect(d.details.limitedBy).toMatch(/margin_budget|dir_cap/);
    expect(d.details.requestedUnits).toBe(500_000);
  });

  it("/health shows the loss-limit guard", async () => {
    const h = await (await fetch(`${base}/health`)).json();
    expect(h.checks.lossLimit).toMatchObject({ status: "ok", engaged: false, dailyLimit: 25_000 });
  });
});
