// A close by trade id (PUT /trades/{id}/close) that the broker executes only after sekisho gave it
// up as never executed: OANDA's close carries no client id, so nothing but the close's own
// MARKET_ORDER (reason TRADE_CLOSE, naming the trade) can tie the late fill to its journal row.
// Against a separate simulator as the broker; broker-side facts from the simulator's own ledger.
import { afterEach, describe, expect, it } from "vitest";
import type { Signal } from "../../src/core/types.ts";
import { brokerFacts, type LedgerRig, operatorSignal, startLedgerRig } from "../helpers/ledger-rig.ts";
import { jpyScenario } from "../helpers/trading-rig.ts";
import { waitUntil } from "../helpers/wait.ts";

let rig: LedgerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const signal = (r: LedgerRig, p: Partial<Signal>): Signal => operatorSignal(r, "ltc", p);
const until = (what: string, cond: () => Promise<boolean> | boolean) => waitUntil(cond, { timeoutMs: 15_000, intervalMs: 50, message: what });

describe("a trade close the broker executes after it was given up", () => {
  it("is a late fill of its own row (filled, alerted), never a manual fill", async () => {
    // A manual long first in FIFO line, so a reduction closes sekisho's trade by id.
    rig = await startLedgerRig({ scenario: jpyScenario({ positions: [{ long: 30_000, short: 0, tag: null }] }), env: { ORDER_FATE_HORIZON_SEC: "1", ORDER_TIMEOUT_MS: "500" } });
    const r = rig;
    expect((await r.p.gate.process(signal(r, { side: "buy", proposedUnits: 20_000 }))).orderStatus).toBe("filled");
    await r.p.sync.refresh();
    await r.refreshPrices();

    // The broker holds the close past ORDER_TIMEOUT_MS (0.5 s here).
    r.sim.setFaults({ latencyMs: 3_000 });
    const s = signal(r, { side: "sell", reduceOnly: true, proposedUnits: 8_000 });
    const pending = r.p.gate.process(s);
    await until("the close to be sent", async () => (await r.journal.orders.findBySignalId(s.id)).some((o) => o.status === "submitted"));
    r.sim.setFaults({ latencyMs: 0 });
    expect(await pending).toMatchObject({ outcome: "accepted", orderStatus: "unknown" });
    const [row] = await r.journal.orders.findBySignalId(s.id);
    expect(row!.positionFill).toBe("TRADE_CLOSE");

    // The fate horizon passes before the broker executes it: given up as never executed.
    r.advance(2_000);
    await r.refreshPrices();
    await r.p.gate.reconcile();
    expect((await r.journal.orders.findByClientId(row!.clientId))?.status).toBe("reconciled");

    // The held close executes at the broker.
    await until("the broker to close the trade", () => brokerFacts(r.sim).fills.some((f) => f.reason === "MARKET_ORDER_TRADE_CLOSE"));
    await r.settleLedger();
    const after = await r.journal.orders.findByClientId(row!.clientId);
    expect(after).toMatchObject({ status: "filled", filledUnits: 8_000 });
    expect(after!.note).toMatch(/late fill/);
    expect(r.alerts.map((a) => a.kind)).toEqual(["late_fill"]);
    await r.p.sync.refresh();
    expect(r.p.account.position("USD_JPY").long).toBe(42_000);
  }, 30_000);
});
