// The venue port is the OANDA client's own surface: a real client (against the simulator on
// loopback) is used here only through the port, so the typecheck proves OandaClient satisfies it
// and the run proves the kernel's account sync works through it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InstrumentTable } from "../../src/core/instruments.ts";
import { silentLogger } from "../../src/core/log.ts";
import { wallClock } from "../../src/core/types.ts";
import { OandaClient } from "../../src/oanda/index.ts";
import { parseScenario, startSimulator, type SimHandle } from "../../src/sim/index.ts";
import { AccountState } from "../../src/state/account-state.ts";
import { AccountSync } from "../../src/kernel/account-sync.ts";
import type { VenuePort } from "../../src/kernel/ports.ts";

describe("the venue port", () => {
  let sim: SimHandle;
  let venue: VenuePort;
  const instruments = new InstrumentTable();
  beforeAll(async () => {
    sim = await startSimulator({
      scenario: parseScenario({
        maintenance: false, ticks: { source: "fixed" },
        account: { currency: "JPY", balance: 500_000, marginRate: 0.04, hedgingEnabled: true },
        instruments: { USD_JPY: { bid: 154.998, ask: 155.002 } },
        positions: [{ instrument: "USD_JPY", long: 20_000, short: 5_000, price: 155, tag: "sekisho:macro:seed" }],
      }),
      port: 0,
    });
    venue = new OandaClient({ restUrl: sim.restUrl, streamUrl: sim.streamUrl, token: sim.token, accountId: sim.accountId, instruments, timeoutMs: 5000 }) satisfies VenuePort;
  });
  afterAll(async () => {
    await sim.close();
  });

  it("carries the account, with its positions and tagged trades, into account state through accountDetails", async () => {
    for (const s of await venue.instruments(["USD_JPY"])) instruments.upsert(s);
    const [tick] = await venue.pricing(["USD_JPY"]);
    const account = new AccountState({ instruments, clock: wallClock, modelSetting: "max_side", mid: () => (tick!.bid + tick!.ask) / 2, priceAgeMs: () => 0, log: silentLogger });
    const sync = new AccountSync({ venue, account, clock: wallClock, log: silentLogger });
    await sync.refresh();
    expect(sync.lastError).toBeUndefined();
    expect(account.ready).toBe(true);
    expect(account.snapshot()!.nav).toBeCloseTo(500_000, -3);
    const p = account.snapshot()!.positions.find((x) => x.instrument === "USD_JPY");
    expect([p?.long, p?.short]).toEqual([20_000, 5_000]);
  });
});
