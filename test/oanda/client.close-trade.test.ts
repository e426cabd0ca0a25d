// OandaClient.closeTrade / tradeCloseFills against the simulator on loopback. Requests are
// counted on the wire so "sent once, never retried" is observed, not assumed.
import { describe, expect, it } from "vitest";
import { simRig } from "./sim-rig.ts";

const rig = simRig();
const client = (timeoutMs = 3_000) => rig.client({ timeoutMs });
const puts = () => rig.count("PUT", "/close");

/** Open a trade directly in the engine; returns its id. */
function open(units: number, clientTradeId?: string): string {
  const r = rig.sim.engine.createOrder({ order: { type: "MARKET", instrument: "USD_JPY", units: String(units), ...(clientTradeId ? { tradeClientExtensions: { id: clientTradeId } } : {}) } });
  return String(((r.body.orderFillTransaction as Record<string, unknown>).tradeOpened as Record<string, unknown>).tradeID);
}

describe("OandaClient.closeTrade against the simulator", () => {
  it("partial then ALL: filled outcomes at the bid naming the trade; the older trade is untouched", async () => {
    const c = client();
    const older = open(2000);
    const id = open(5000, "sk-close-1");
    expect(await c.closeTrade(id, 1500)).toMatchObject({ kind: "filled", tradeIds: [id], units: 1500, price: 155.0 });
    expect(await c.closeTrade("@sk-close-1", "ALL")).toMatchObject({ kind: "filled", tradeIds: [id], units: 3500 });
    expect(puts()).toBe(2);
    expect((await c.openTrades()).map((t) => [t.id, t.units])).toEqual([[older, 2000]]);
  });

  it("a short is bought back at the ask", async () => {
    const c = client();
    const id = open(-1000);
    expect(await c.closeTrade(id, "ALL")).toMatchObject({ kind: "filled", units: 1000, price: 155.008 });
    expect((await c.accountDetails()).positions).toEqual([]);
  });

  it("halted market => cancelled MARKET_HALTED; too many units and unknown trade => rejected; nothing closed", async () => {
    const c = client();
    const id = open(1000);
    rig.sim.engine.setPrice({ instrument: "USD_JPY", bid: 155, ask: 155.008, tradeable: false });
    expect(await c.closeTrade(id, "ALL")).toMatchObject({ kind: "cancelled", reason: "MARKET_HALTED" });
    rig.sim.engine.setPrice({ instrument: "USD_JPY", bid: 155, ask: 155.008, tradeable: true });
    expect(await c.closeTrade(id, 1001)).toMatchObject({ kind: "rejected", errorCode: "CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE", httpStatus: 400 });
    expect(await c.closeTrade("424242", "ALL")).toMatchObject({ kind: "rejected", errorCode: "NO_SUCH_TRADE", httpStatus: 404 });
    expect(puts()).toBe(3);
    expect(rig.sim.engine.trade(id)!.currentUnits).toBe(1000);
  });

  it("bad input is rejected without sending anything", async () => {
    const c = client();
    for (const u of [0, -5, Number.NaN]) expect((await c.closeTrade("1", u)).kind).toBe("rejected");
    expect((await c.closeTrade("", "ALL")).kind).toBe("rejected");
    expect(puts()).toBe(0);
  });

  it("5xx on a close is unknown and never retried", async () => {
    const c = client();
    const id = open(1000);
    rig.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    expect((await c.closeTrade(id, "ALL")).kind).toBe("unknown");
    rig.sim.setFaults({ errorRate: 0 });
    expect(puts()).toBe(1);
  });

  it("the ghost fill: the close executes, the answer never comes => unknown, sent once; tradeCloseFills finds the fill", async () => {
    const c = client(500);
    const other = open(3000);
    const id = open(4000);
    const before = (await c.accountDetails()).lastTransactionID;
    // A close of another trade in the window must not be mistaken for ours.
    expect((await c.closeTrade(other, 1000)).kind).toBe("filled");
    rig.sim.setFaults({ ghostFill: 1 });
    expect((await c.closeTrade(id, 2500)).kind).toBe("unknown");
    expect(puts()).toBe(2);
    expect(rig.sim.engine.trade(id)!.currentUnits).toBe(1500);
    const fills = await c.tradeCloseFills(id, before);
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ kind: "filled", tradeIds: [id], units: 2500, price: 155.0 });
    expect(await c.tradeCloseFills(id, fills[0]!.transactionId)).toEqual([]);
    await expect(c.tradeCloseFills("@sk-x", before)).rejects.toThrow(/numeric trade id/);
  });
});
