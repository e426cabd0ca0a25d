// Flatten never makes things worse mid-way: against the simulator over HTTP, with the market
// halted between two order writes (the simulator's haltAfterWrites fault).
import { afterEach, describe, expect, it } from "vitest";
import { jpyScenario, type Rig, startRig } from "../helpers/trading-rig.ts";
import { flatten } from "../../src/agent/flatten.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const faults = (r: Rig, f: Record<string, unknown>) => fetch(`${r.sim.restUrl}/sim/faults`, { method: "POST", body: JSON.stringify(f) });
const halt = (r: Rig, tradeable: boolean) => fetch(`${r.sim.restUrl}/sim/price`, { method: "POST", body: JSON.stringify({ instrument: "USD_JPY", bid: 154.998, ask: 155.002, tradeable }) });

async function state(r: Rig) {
  const s = await r.client.accountDetails();
  const p = ((await r.client.accountDetails()).positions).find((x) => x.instrument === "USD_JPY") ?? { long: 0, short: 0 };
  return { marginUsed: s.marginUsed, long: p.long, short: p.short, net: p.long - p.short };
}

function run(r: Rig) {
  return flatten({
    account: r.account, refresh: () => r.sync.refresh(), decide: (s) => r.gate.process(s), now: () => Date.now(),
    orderStatus: async (id) => (await r.journal.orders.findByClientId(id))?.status,
  }, "USD_JPY", "test");
}

describe("flatten", () => {
  it("long 60,000 / short 55,000: both sides in one request; a halt after that write changes nothing, it is already flat", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "max_side", positions: [{ long: 60_000, short: 55_000 }] }), env: { MARGIN_MODEL: "auto" } });
    await faults(rig, { haltAfterWrites: 1 });
    const res = await run(rig);
    expect(res.orders.map((o) => [o.side, o.units, o.outcome])).toEqual([["sell", 60_000, "filled"], ["buy", 55_000, "filled"]]);
    expect(res.orders.map((o) => o.clientId.slice(-2))).toEqual(["-L", "-S"]);
    expect(await state(rig)).toMatchObject({ long: 0, short: 0, marginUsed: 0 });
    // The halt came after the one write.
    const p = await (await fetch(`${rig.sim.restUrl}/v3/accounts/${rig.sim.accountId}/pricing?instruments=USD_JPY`, { headers: { Authorization: `Bearer ${rig.sim.token}` } })).json();
    expect(p.prices[0].tradeable).toBe(false);
  });

  it("the market halted when the flatten is sent: both sides are cancelled together, exposure and margin exactly as before", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "max_side", positions: [{ long: 60_000, short: 55_000 }] }) });
    const before = await state(rig);
    // Halted at the broker before the agent's price feed says so: the request goes out.
    await halt(rig, false);
    const res = await run(rig);
    expect(res.orders.every((o) => o.outcome === "cancelled")).toBe(true);
    const after = await state(rig);
    expect(after).toEqual(before);
    expect(after.net).toBe(5_000); // never net -55,000
  });

  it("with a manual trade first in line: sekisho's trades by id, heavier side first; halted after the first leg, |net| and margin are no higher than before", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "max_side", positions: [{ long: 5_000, short: 0, tag: null }, { long: 60_000, short: 55_000 }] }) });
    const before = await state(rig);
    expect(before).toMatchObject({ long: 65_000, short: 55_000 });
    await faults(rig, { haltAfterWrites: 1 });
    const res = await run(rig);
    expect(res.orders.some((o) => o.outcome !== "filled")).toBe(true);
    const after = await state(rig);
    expect(Math.abs(after.net)).toBeLessThanOrEqual(Math.abs(before.net));
    expect(after.marginUsed).toBeLessThanOrEqual(before.marginUsed);
    expect(after.long).toBeGreaterThanOrEqual(5_000); // the manual trade is untouched
    // Un-halted, a second flatten finishes the job and leaves only the manual trade.
    await halt(rig, true);
    await rig.refreshPrices();
    await run(rig);
    expect(await state(rig)).toMatchObject({ long: 5_000, short: 0 });
  });
});

describe("flatten beside a manual trade on the other side", () => {
  it("sekisho's shorts hedging an older manual long stay: one close would have taken net from +6,000 to +43,000", async () => {
    // Found by an adversarial run against a separate simulator: FIFO on the short side met only
    // sekisho's trades, so both sides went as one position close, whose end left the manual
    // long unhedged.
    rig = await startRig({ scenario: jpyScenario({ marginModel: "net", positions: [{ long: 43_000, short: 0, tag: null }, { long: 0, short: 37_000 }] }) });
    const before = await state(rig);
    expect(before).toMatchObject({ long: 43_000, short: 37_000, net: 6_000 });
    const res = await run(rig);
    expect(res.orders.map((o) => [o.side, o.outcome, o.reason])).toEqual([["buy", "skipped", "manual_trades_first"]]);
    expect(await state(rig)).toEqual(before);
  });

  it("with more of sekisho's units than the hedge needs: what keeps |net| where it was is closed in one request, the rest stays", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "net", positions: [{ long: 10_000, short: 0 }, { long: 30_000, short: 0, tag: null }, { long: 0, short: 30_000 }] }) });
    expect(await state(rig)).toMatchObject({ net: 10_000 });
    const res = await run(rig);
    expect(res.orders.map((o) => [o.side, o.units, o.outcome])).toEqual([["sell", 10_000, "filled"], ["buy", 10_000, "filled"]]);
    // net +10,000 still; sekisho's remaining 20,000 short hedges the manual 30,000 long.
    expect(await state(rig)).toMatchObject({ long: 30_000, short: 20_000, net: 10_000 });
  });
});

describe("a both-sides close whose answer is lost", () => {
  it("is settled by looking each side's order up by client id, and sent only once", async () => {
    rig = await startRig({ scenario: jpyScenario({ marginModel: "max_side", positions: [{ long: 60_000, short: 55_000 }] }), env: { ORDER_TIMEOUT_MS: "500" } });
    await faults(rig, { ghostFill: 1 });
    const res = await run(rig);
    expect(res.orders.map((o) => o.outcome)).toEqual(["filled", "filled"]);
    expect(await state(rig)).toMatchObject({ long: 0, short: 0 });
    const rows = (await rig.journal.orders.list({ limit: 10 })).rows;
    expect(rows.map((r) => [r.clientId.slice(-2), r.status]).sort()).toEqual([["-L", "filled"], ["-S", "filled"]]);
    // One request: one POSITION_CLOSEOUT market order per side at the broker, no more.
    const tx = await rig.client.transactionsSinceId("1");
    expect(tx.transactions.filter((t) => t.type === "MARKET_ORDER" && (t as { reason?: string }).reason === "POSITION_CLOSEOUT")).toHaveLength(2);
  });
});
