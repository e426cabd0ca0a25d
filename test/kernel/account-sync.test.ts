// AccountSync reads the account through the venue port: awaited (the OANDA client), or at once
// when the venue offers accountDetailsNow (the in-process simulator of a replay). Both ways must
// leave the same account state, stamp it on the kernel's clock, coalesce a refresh asked for
// during one into a single follow-up, and keep the last view when a read fails.
import { describe, expect, it } from "vitest";
import { InstrumentTable } from "../../src/core/instruments.ts";
import { silentLogger } from "../../src/core/log.ts";
import { AccountState } from "../../src/state/account-state.ts";
import { AccountSync } from "../../src/kernel/account-sync.ts";
import type { AccountPort } from "../../src/kernel/ports.ts";
import type { AccountDetails } from "../../src/oanda/index.ts";

function details(nav: number, asOf: number, txn: string): AccountDetails {
  return {
    id: "a", currency: "JPY", balance: 500_000, nav, unrealizedPL: nav - 500_000, marginUsed: 0, marginAvailable: nav, marginCloseoutPercent: 0,
    hedgingEnabled: true, lastTransactionID: txn, asOf, positions: [],
    trades: [{ id: "7", instrument: "USD_JPY", side: "buy", units: 1_000, price: 155, clientExtensions: { id: "c1", tag: "sekisho:macro:seed" } }],
  };
}

/** A venue whose reads are scripted: a figure per read, or an error; `txnOf` names each read's lastTransactionID (default: a new one each read). */
function venue(now: boolean, script: Array<number | Error>, stampedAt: () => number, txnOf: (read: number) => string = String): AccountPort & { reads: number; trades?: AccountDetails["trades"] } {
  const v: AccountPort & { reads: number; trades?: AccountDetails["trades"]; read(): AccountDetails } = {
    reads: 0,
    read(): AccountDetails {
      const next = script[Math.min(v.reads, script.length - 1)]!;
      v.reads++;
      if (next instanceof Error) throw next;
      const d = details(next, stampedAt(), txnOf(v.reads));
      return v.trades ? { ...d, trades: v.trades } : d;
    },
    accountDetails: async () => v.read(),
  };
  return now ? Object.assign(v, { accountDetailsNow: () => v.read() }) : v;
}

function rig(now: boolean, script: Array<number | Error>, o: { venueClockOffset?: number; txnOf?: (read: number) => string } = {}) {
  let t = 1_000;
  const clock = { now: () => t };
  const v = venue(now, script, () => t + (o.venueClockOffset ?? 0), o.txnOf);
  const account = new AccountState({ instruments: new InstrumentTable(), clock, modelSetting: "max_side", mid: () => 155 });
  let onRefreshed = () => {};
  const sync = new AccountSync({ venue: v, account, clock, log: silentLogger, onRefreshed: () => onRefreshed() });
  return { v, account, sync, advance: (ms: number) => (t += ms), setOnRefreshed: (f: () => void) => (onRefreshed = f) };
}

describe.each([["awaited (the OANDA client)", false], ["at once (accountDetailsNow)", true]] as const)("AccountSync, reads %s", (_name, now) => {
  it("applies each read stamped on the kernel's clock, with the venue's trades as trade views", async () => {
    for (const offset of [0, -250]) {
      const r = rig(now, [510_000, 520_000], { venueClockOffset: offset });
      await r.sync.refresh();
      r.advance(10_000);
      await r.sync.refresh();
      expect(r.sync.refreshes).toBe(2);
      expect(r.account.snapshot()).toEqual({ ...details(520_000, 11_000, "2") });
      expect(r.account.trades()).toEqual([{ id: "7", instrument: "USD_JPY", side: "buy", units: 1_000, price: 155, pocket: "macro", strategy: "seed", clientId: "c1" }]);
    }
  });

  it("a refresh asked for while one is applied (by its observer) becomes one follow-up, done before the first settles", async () => {
    const r = rig(now, [510_000, 520_000, 530_000]);
    let asked = 0;
    r.setOnRefreshed(() => {
      if (asked < 2) {
        asked++;
        void r.sync.refresh();
        void r.sync.refresh(); // the same follow-up, not a second one
      }
    });
    await r.sync.refresh();
    expect(r.v.reads).toBe(3);
    expect(r.sync.refreshes).toBe(3);
    expect(r.account.snapshot()!.nav).toBe(530_000);
  });

  it("a failed read keeps the last view and names the error; the next read clears it", async () => {
    const r = rig(now, [510_000, new Error("venue down"), 530_000]);
    await r.sync.refresh();
    await r.sync.refresh();
    expect(r.sync.lastError).toBe("venue down");
    expect(r.account.snapshot()!.nav).toBe(510_000);
    await r.sync.refresh();
    expect(r.sync.lastError).toBeUndefined();
    expect(r.account.snapshot()!.nav).toBe(530_000);
    expect(r.sync.refreshes).toBe(2);
  });

  it("the same trades list handed over again keeps its views; a new list is read, whatever lastTransactionID says", async () => {
    // Every read at transaction 5. Reads 1-2 hand over one list (as the in-process venue does
    // while nothing changed); read 3 a new list with another trade: it must be read although the
    // answer's lastTransactionID did not move (a lagging answer must not leave stale views).
    const r = rig(now, [510_000, 520_000, 530_000], { txnOf: () => "5" });
    const shared = details(0, 0, "5").trades;
    r.v.trades = shared;
    await r.sync.refresh();
    const first = r.account.trades();
    await r.sync.refresh();
    expect(r.account.snapshot()!.nav).toBe(520_000);
    expect(r.account.trades()).toBe(first);
    r.v.trades = [{ id: "9", instrument: "USD_JPY", side: "sell", units: 2_000, price: 156, clientExtensions: { id: "c2", tag: "sekisho:scalp:fast" } }];
    await r.sync.refresh();
    expect(r.account.trades()).toEqual([{ id: "9", instrument: "USD_JPY", side: "sell", units: 2_000, price: 156, pocket: "scalp", strategy: "fast", clientId: "c2" }]);
  });
});

describe("AccountSync.refreshedNow", () => {
  it("reads at once where the venue answers at once; elsewhere it reads nothing and says so", async () => {
    const now = rig(true, [510_000]);
    expect(now.sync.refreshedNow()).toBe(true);
    expect(now.v.reads).toBe(1);
    expect(now.account.snapshot()!.nav).toBe(510_000);
    const awaited = rig(false, [510_000]);
    expect(awaited.sync.refreshedNow()).toBe(false);
    expect(awaited.v.reads).toBe(0);
    // A read in flight: refreshedNow leaves it to the awaited path (it would be the follow-up).
    const pending = awaited.sync.refresh();
    expect(awaited.sync.refreshedNow()).toBe(false);
    await pending;
    expect(awaited.v.reads).toBe(1);
  });
});
