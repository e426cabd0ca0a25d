import { describe, expect, it } from "vitest";
import { AccountState } from "../../src/state/account-state.ts";
import { InstrumentTable } from "../../src/core/instruments.ts";
import type { AccountSnapshot } from "../../src/core/types.ts";

const clock = { now: () => 1_000_000 };
function state(setting: "auto" | "net" | "max_side" = "auto") {
  return new AccountState({ instruments: new InstrumentTable(), clock, modelSetting: setting, mid: (i) => (i === "USD_JPY" ? 155 : undefined) });
}
function snap(p: Partial<AccountSnapshot> & { long?: number; short?: number } = {}): AccountSnapshot {
  return {
    id: "a", currency: "JPY", balance: 500_000, nav: 500_000, unrealizedPL: 0, marginUsed: 0, marginAvailable: 500_000,
    marginCloseoutPercent: 0, hedgingEnabled: true, lastTransactionID: "10", asOf: 0,
    positions: [{ instrument: "USD_JPY", long: p.long ?? 0, short: p.short ?? 0 }], ...p,
  };
}

describe("account state", () => {
  it("auto sizes with max_side until the broker's per-position margin shows netting three snapshots in a row", () => {
    const a = state();
    const hedged = (txn: string, marginUsed: number) => snap({ lastTransactionID: txn, positions: [{ instrument: "USD_JPY", long: 50_000, short: 45_000, marginUsed }], marginUsed });
    a.applySnapshot(snap({ positions: [{ instrument: "USD_JPY", long: 50_000, short: 0, marginUsed: 310_000 }], marginUsed: 310_000 }));
    expect(a.marginModel().inForce).toBe("max_side"); // one side open: no evidence either way
    a.applySnapshot(hedged("11", 31_000));
    a.applySnapshot(hedged("12", 31_000));
    expect(a.marginModel()).toMatchObject({ inForce: "max_side", evidence: { verdict: "net" } }); // not yet
    a.applySnapshot(hedged("13", 31_000));
    expect(a.marginModel()).toMatchObject({ setting: "auto", inForce: "net", evidence: { verdict: "net", marginUsed: 31_000 } });
    a.applySnapshot(hedged("14", 310_000));
    expect(a.marginModel().inForce).toBe("max_side"); // one contrary reading is enough
  });

  it("auto ignores evidence where the models barely differ, or where the broker's figure fits neither", () => {
    const a = state();
    for (const [i, p] of [[20, { long: 50_000, short: 5_000, marginUsed: 279_000 }], [21, { long: 50_000, short: 45_000, marginUsed: 170_000 }]] as const) {
      for (let k = 0; k < 3; k++) a.applySnapshot(snap({ lastTransactionID: String(i * 10 + k), positions: [{ instrument: "USD_JPY", ...p }] }));
    }
    expect(a.marginModel().inForce).toBe("max_side");
    expect(a.marginModel().evidence).toBeUndefined();
  });

  it("auto judges only on a fresh price", () => {
    const a = new AccountState({ instruments: new InstrumentTable(), clock, modelSetting: "auto", mid: () => 155, priceAgeMs: () => 60_000 });
    for (let k = 0; k < 3; k++) a.applySnapshot(snap({ lastTransactionID: String(30 + k), positions: [{ instrument: "USD_JPY", long: 50_000, short: 45_000, marginUsed: 31_000 }] }));
    expect(a.marginModel().inForce).toBe("max_side");
  });

  it("a fixed MARGIN_MODEL is never overridden by evidence", () => {
    const a = state("max_side");
    for (let k = 0; k < 3; k++) a.applySnapshot(snap({ lastTransactionID: String(40 + k), positions: [{ instrument: "USD_JPY", long: 50_000, short: 45_000, marginUsed: 31_000 }] }));
    expect(a.marginModel().inForce).toBe("max_side");
  });

  it("a snapshot older than a fill already applied is ignored; the broker wins otherwise", () => {
    const a = state();
    a.applySnapshot(snap({ long: 10_000, lastTransactionID: "10" }));
    a.onOrderEvent({ type: "filled", clientId: "x", instrument: "USD_JPY", side: "buy", units: 5_000, transactionId: "15", reduceOnly: false });
    expect(a.position("USD_JPY").long).toBe(15_000);
    expect(a.applySnapshot(snap({ long: 10_000, lastTransactionID: "12" })).applied).toBe(false);
    expect(a.position("USD_JPY").long).toBe(15_000);
    const r = a.applySnapshot(snap({ long: 14_000, lastTransactionID: "16" }));
    expect(r.applied).toBe(true);
    expect(r.disagreements).toHaveLength(1);
    expect(a.position("USD_JPY").long).toBe(14_000);
  });

  it("reduce-only fills take units off the opposite side, never past zero", () => {
    const a = state();
    a.applySnapshot(snap({ long: 10_000 }));
    a.onOrderEvent({ type: "filled", clientId: "x", instrument: "USD_JPY", side: "sell", units: 25_000, transactionId: "11", reduceOnly: true });
    expect(a.position("USD_JPY")).toEqual({ long: 0, short: 0 });
  });

  it("orders in flight count as position for sizing until released; reduce-only ones are not subtracted", () => {
    const a = state();
    a.applySnapshot(snap({ long: 10_000 }));
    a.onOrderEvent({ type: "reserved", reservation: { clientId: "x", instrument: "USD_JPY", side: "buy", units: 7_000, reduceOnly: false } });
    a.onOrderEvent({ type: "reserved", reservation: { clientId: "y", instrument: "USD_JPY", side: "sell", units: 4_000, reduceOnly: true } });
    expect(a.exposure("USD_JPY")).toEqual({ long: 17_000, short: 0 });
    a.onOrderEvent({ type: "released", clientId: "x", status: "filled" });
    expect(a.exposure("USD_JPY")).toEqual({ long: 10_000, short: 0 });
  });

  it("follows execution's order events: reserved, fate unknown (counted once after a restart), filled once, released", () => {
    const a = state();
    a.applySnapshot(snap({ long: 10_000 }));
    const reservation = { clientId: "x", instrument: "USD_JPY", side: "buy" as const, units: 7_000, reduceOnly: false };
    a.onOrderEvent({ type: "reserved", reservation });
    expect(a.exposure("USD_JPY")).toEqual({ long: 17_000, short: 0 });
    a.onOrderEvent({ type: "fate_unknown", clientId: "x" });
    // A restart finding the same row unsettled counts it once, not twice.
    a.onOrderEvent({ type: "fate_unknown", clientId: "x", reservation });
    expect(a.reservations()).toMatchObject([{ clientId: "x", units: 7_000, fateUnknown: true }]);
    // Nothing counted it yet (a restart): now it counts, at full size.
    a.onOrderEvent({ type: "fate_unknown", clientId: "y", reservation: { ...reservation, clientId: "y", side: "sell", units: 2_000 } });
    expect(a.exposure("USD_JPY")).toEqual({ long: 17_000, short: 2_000 });
    const fill = { type: "filled" as const, clientId: "x", instrument: "USD_JPY", side: "buy" as const, units: 7_000, transactionId: "12", reduceOnly: false };
    a.onOrderEvent(fill);
    a.onOrderEvent(fill); // settled again (a lookup, a restart): never moves the position twice
    a.onOrderEvent({ type: "released", clientId: "x", status: "filled" });
    expect(a.position("USD_JPY")).toEqual({ long: 17_000, short: 0 });
    expect(a.exposure("USD_JPY")).toEqual({ long: 17_000, short: 2_000 });
    a.onOrderEvent({ type: "released", clientId: "y", status: "reconciled" });
    expect(a.reservations()).toEqual([]);
  });

});
