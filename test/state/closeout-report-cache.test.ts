// The account state's closeout report is remembered between changes of its inputs: it must be
// what closeoutReport() of the current inputs gives, whichever input moved, and the same object
// only while none did.
import { describe, expect, it } from "vitest";
import { AccountState } from "../../src/state/account-state.ts";
import { InstrumentTable } from "../../src/core/instruments.ts";
import type { AccountSnapshot } from "../../src/core/types.ts";
import { closeoutReport } from "../../src/margin/closeout-report.ts";

function rig() {
  const mids = new Map<string, number>([["USD_JPY", 155], ["EUR_USD", 1.08]]);
  const instruments = new InstrumentTable();
  const account = new AccountState({ instruments, clock: { now: () => 1_000_000 }, modelSetting: "auto", mid: (i) => mids.get(i) });
  /** What the report was before it was remembered: closeoutReport() of the inputs read now. */
  const direct = () => {
    const s = account.snapshot()!;
    return closeoutReport({
      nav: s.nav, marginUsed: s.marginUsed, currency: s.currency, model: account.marginModel().inForce, rule: account.closeoutRule().inForce,
      positions: s.positions.map((p) => ({ spec: instruments.get(p.instrument), long: p.long, short: p.short, mid: mids.get(p.instrument), conversion: account.conversion(p.instrument) })),
    });
  };
  return { mids, instruments, account, direct };
}

function snap(p: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    id: "a", currency: "JPY", balance: 500_000, nav: 480_000, unrealizedPL: -20_000, marginUsed: 400_000, marginAvailable: 80_000,
    marginCloseoutPercent: 0.8, hedgingEnabled: true, lastTransactionID: "10", asOf: 0,
    positions: [{ instrument: "USD_JPY", long: 100_000, short: 20_000 }, { instrument: "EUR_USD", long: 0, short: 30_000 }], ...p,
  };
}

describe("the closeout report, remembered", () => {
  it("is the same object while nothing it reads changed, and equal to a fresh computation", () => {
    const r = rig();
    r.account.applySnapshot(snap());
    const first = r.account.closeoutReport();
    expect(first).toEqual(r.direct());
    expect(r.account.closeoutReport()).toBe(first);
    // A new snapshot with equal figures reads the same inputs: the same report.
    r.account.applySnapshot(snap({ lastTransactionID: "11" }));
    expect(r.account.closeoutReport()).toBe(first);
  });

  it("follows every input: each mid (direct and through a conversion), the snapshot's figures and positions, the instrument facts", () => {
    const r = rig();
    r.account.applySnapshot(snap());
    const changes: Array<[string, () => void]> = [
      ["USD_JPY mid", () => r.mids.set("USD_JPY", 150.5)],
      ["EUR_USD mid (its own and, through USD_JPY, its conversion)", () => r.mids.set("EUR_USD", 1.1)],
      ["a mid lost", () => r.mids.delete("EUR_USD")],
      ["a mid back", () => r.mids.set("EUR_USD", 1.09)],
      ["NAV", () => r.account.applySnapshot(snap({ nav: 470_000, lastTransactionID: "12" }))],
      ["marginUsed", () => r.account.applySnapshot(snap({ nav: 470_000, marginUsed: 390_000, lastTransactionID: "13" }))],
      ["a position's units", () => r.account.applySnapshot(snap({ nav: 470_000, marginUsed: 390_000, lastTransactionID: "14", positions: [{ instrument: "USD_JPY", long: 90_000, short: 20_000 }, { instrument: "EUR_USD", long: 0, short: 30_000 }] }))],
      ["a position gone", () => r.account.applySnapshot(snap({ nav: 470_000, marginUsed: 390_000, lastTransactionID: "15", positions: [{ instrument: "EUR_USD", long: 0, short: 30_000 }] }))],
      ["EUR_USD's conversion only (USD_JPY, not held, moves; EUR_USD does not)", () => r.mids.set("USD_JPY", 149)],
      ["USD_JPY held again", () => r.account.applySnapshot(snap({ nav: 470_000, marginUsed: 390_000, lastTransactionID: "16", positions: [{ instrument: "USD_JPY", long: 90_000, short: 20_000 }] }))],
      ["the margin rate", () => r.instruments.upsert({ ...r.instruments.get("USD_JPY"), marginRate: 0.05 })],
      ["the pip location", () => r.instruments.upsert({ ...r.instruments.get("USD_JPY"), pipLocation: -3 })],
      ["the currency", () => r.account.applySnapshot(snap({ currency: "USD", lastTransactionID: "17" }))],
      ["USD_JPY's mid only (a USD account: its conversion is 1)", () => r.mids.set("USD_JPY", 151)],
      ["flat", () => r.account.applySnapshot(snap({ lastTransactionID: "18", positions: [] }))],
    ];
    let before = r.account.closeoutReport();
    for (const [what, change] of changes) {
      change();
      const now = r.account.closeoutReport();
      expect(now, what).toEqual(r.direct());
      expect(now, what).not.toBe(before);
      expect(r.account.closeoutReport(), what).toBe(now);
      before = now;
    }
  });

  it("follows the margin model and loss-cut rule in force as the broker's figures teach them", () => {
    const r = rig();
    const hedged = (txn: string) => snap({ lastTransactionID: txn, positions: [{ instrument: "USD_JPY", long: 50_000, short: 45_000, marginUsed: 31_000 }], marginUsed: 31_000, nav: 480_000 });
    r.account.applySnapshot(hedged("20"));
    const maxSide = r.account.closeoutReport();
    r.account.applySnapshot(hedged("21"));
    r.account.applySnapshot(hedged("22"));
    expect(r.account.marginModel().inForce).toBe("net");
    const net = r.account.closeoutReport();
    expect(net).not.toBe(maxSide);
    expect(net).toEqual(r.direct());
    expect(net!.account.pips).not.toEqual(maxSide!.account.pips);
  });
});
