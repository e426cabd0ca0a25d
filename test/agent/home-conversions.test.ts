// EUR_USD on a JPY account with only EUR_USD subscribed: the conversion comes from OANDA's own
// home-conversion factors (the simulator over HTTP), never from the price; none at all stops start-up.
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { entry, type Rig, startRig } from "../helpers/trading-rig.ts";
import { missingConversionMessage, refreshHomeConversions } from "../../src/agent/home-conversions.ts";
import { InstrumentTable } from "../../src/core/instruments.ts";
import { parseConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/log.ts";
import { startAgent } from "../../src/agent/agent.ts";
import { parseScenario } from "../../src/sim/index.ts";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const scenario = {
  account: { currency: "JPY", balance: 500_000, marginRate: 0.04, hedgingEnabled: true, marginModel: "max_side" },
  instruments: { EUR_USD: { bid: 1.07995, ask: 1.08005 }, USD_JPY: { bid: 149.998, ask: 150.002 } },
  ticks: { source: "fixed" },
};

describe("home conversions from the broker", () => {
  it("EUR_USD subscribed alone: no route from mids, OANDA's factor converts EUR to JPY, and the gate sizes with it", async () => {
    rig = await startRig({ scenario, env: { INSTRUMENTS: "EUR_USD", MARGIN_MODEL: "max_side" } });
    expect(rig.account.conversion("EUR_USD")).toBeUndefined();
    const before = await rig.gate.process(entry({ instrument: "EUR_USD", proposedUnits: 10_000 }));
    expect(before).toMatchObject({ outcome: "skipped", reason: "no_conversion" });

    const left = await refreshHomeConversions(rig.client, rig.account, ["EUR_USD"]);
    expect(left).toEqual([]);
    // EUR -> JPY = EUR_USD mid x USD_JPY mid, as the broker computes it.
    expect(rig.account.conversion("EUR_USD")).toBeCloseTo(1.08 * 150, 6);
    const d = await rig.gate.process(entry({ instrument: "EUR_USD", proposedUnits: 10_000 }));
    expect(d).toMatchObject({ outcome: "accepted", orderStatus: "filled", units: 10_000 });
    // Margin after: 10,000 EUR x 162 JPY x 4% = 64,800 JPY (not 10,000 x 1.08 x 4% = 432).
    expect((d.detail as { marginAfter: number }).marginAfter).toBeCloseTo(64_800, -1);
    const s = await rig.client.accountDetails();
    expect(s.marginUsed).toBeCloseTo(64_800, -2);
  });

  it("the agent starts with EUR_USD alone on a JPY account (factors fetched at start-up)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sekisho-conv-"));
    const { config } = parseConfig({ DB_PATH: join(dir, "orders.db"), LOG_LEVEL: "silent", INSTRUMENTS: "EUR_USD", FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0" });
    const agent = await startAgent({ config, mode: "paper", log: silentLogger, simScenario: parseScenario(scenario) });
    try {
      expect(agent.account.conversion("EUR_USD")).toBeCloseTo(162, 6);
      expect(agent.gate.lot("EUR_USD", "buy")?.reason).toBe("ok");
    } finally {
      await agent.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an instrument that cannot be converted is named in one line, with what to add", () => {
    const msg = missingConversionMessage(["EUR_USD"], "JPY", new InstrumentTable());
    expect(msg).toBe("no conversion to the account currency JPY for EUR_USD (EUR->JPY): OANDA's home conversions did not include it and no subscribed price converts it; add EUR_JPY to INSTRUMENTS");
    expect(msg).not.toContain("\n");
  });
});
