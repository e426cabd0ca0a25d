// Writes over the runtime's HTTP/1.1 client (the default without an injected fetch, as the agent
// runs): the same outcomes as through fetch against the project's simulator on loopback, and
// "sent exactly once" observed in the simulator's own ledger (no recording fetch here).
import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { OandaClient } from "../../src/oanda/client.ts";
import { createLogger } from "../../src/core/log.ts";
import { marketOrder, simRig } from "./sim-rig.ts";
import { waitUntil } from "../helpers/wait.ts";

const rig = simRig();

function client(o: { timeoutMs?: number; log?: ReturnType<typeof createLogger> } = {}): OandaClient {
  const { sim } = rig;
  return new OandaClient({ restUrl: sim.restUrl, streamUrl: sim.streamUrl, token: sim.token, accountId: sim.accountId, timeoutMs: o.timeoutMs ?? 3_000, retry: { baseMs: 1, capMs: 20 }, log: o.log });
}

/** MARKET_ORDER transactions the simulator recorded for this client id: requests it received. */
const received = (clientId: string) =>
  rig.sim.engine.transactions().filter((t) => t.type === "MARKET_ORDER" && (t as { clientExtensions?: { id?: string } }).clientExtensions?.id === clientId).length;

describe("writes over HTTP/1.1", () => {
  it("is the default without an injected fetch; orders fill as through fetch, one after another on a kept connection", async () => {
    const c = client();
    expect(c.http.writesOverHttp1).toBe(true);
    for (let i = 0; i < 3; i++) {
      const req = marketOrder({ units: 1000 + i });
      expect(await c.submitMarketOrder(req)).toMatchObject({ kind: "filled", units: 1000 + i, price: 155.008 });
      expect(received(req.clientId)).toBe(1);
    }
    // A bound the market has passed: cancelled, not filled.
    expect(await c.submitMarketOrder(marketOrder({ priceBound: 155.0 }))).toMatchObject({ kind: "cancelled", reason: "BOUNDS_VIOLATION" });
    c.http.close();
  });

  it("a read opens the writes' connection ahead, so the first order does not wait for one; later reads keep it, not open more", async () => {
    const c = client();
    expect(c.http.writeConnectionsOpened).toBe(0);
    await c.accountDetails();
    // Opened after the read's answer, in the background: waited for, not timed (a loaded machine is slow).
    await waitUntil(() => c.http.writeConnectionsOpened > 0, { timeoutMs: 10_000, intervalMs: 10, message: () => `no writes' connection opened after a read` });
    expect(c.http.writeConnectionsOpened).toBe(1);
    expect(await c.submitMarketOrder(marketOrder())).toMatchObject({ kind: "filled" });
    await c.accountDetails();
    await new Promise((r) => setTimeout(r, 50));
    expect(c.http.writeConnectionsOpened).toBe(1);
    c.http.close();
  });

  it("the ghost fill: no answer within the timeout => unknown, received once, and the lookup finds it FILLED", async () => {
    const c = client({ timeoutMs: 400 });
    rig.sim.setFaults({ ghostFill: 1 });
    const req = marketOrder({ units: 3000 });
    expect((await c.submitMarketOrder(req)).kind).toBe("unknown");
    await new Promise((r) => setTimeout(r, 100));
    expect(received(req.clientId)).toBe(1);
    expect(await c.lookupOrderByClientId(req.clientId)).toMatchObject({ found: true, state: "FILLED" });
    // The connection that timed out is gone; the next order opens another and fills.
    expect(await c.submitMarketOrder(marketOrder())).toMatchObject({ kind: "filled" });
    c.http.close();
  });

  it("an injected 503 is an answer (not resent), and the token never reaches a log line", async () => {
    const lines: string[] = [];
    const log = createLogger("debug", new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } }));
    const c = client({ log });
    rig.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    const req = marketOrder();
    const out = await c.submitMarketOrder(req);
    rig.sim.setFaults({ errorRate: 0 });
    expect(out.kind).not.toBe("filled");
    expect(received(req.clientId)).toBe(0); // the fault answers before the engine sees the order
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(rig.sim.token);
    c.http.close();
  });

  it("the caller's abort before the answer settles as unknown, never as a failure to send", async () => {
    const c = client();
    rig.sim.setFaults({ ghostFill: 1 });
    const abort = new AbortController();
    const req = marketOrder();
    const out = c.submitMarketOrder(req, abort.signal);
    setTimeout(() => abort.abort(new Error("stop")), 100);
    expect((await out).kind).toBe("unknown");
    expect(received(req.clientId)).toBe(1);
    c.http.close();
  });
});
