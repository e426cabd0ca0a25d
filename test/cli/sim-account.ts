// A simulator as the OANDA account of a CLI test: its REST API for placing trades by hand and
// reading the broker's side, and the environment that points the CLI's credentials at it.
import { expect, vi } from "vitest";
import type { SimHandle } from "../../src/sim/index.ts";

export function simAccount(sim: SimHandle) {
  const rest = async (method: string, path: string, body?: unknown): Promise<Record<string, any>> => {
    const res = await fetch(`${sim.restUrl}/v3/accounts/${sim.accountId}${path}`, {
      method, headers: { Authorization: `Bearer ${sim.token}`, "Content-Type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as Record<string, any>;
  };
  return {
    rest,
    /** A market order placed by hand (no client id, no tag: a manual trade). */
    marketOrder: (units: number) => rest("POST", "/orders", { order: { type: "MARKET", instrument: "USD_JPY", units: String(units), timeInForce: "FOK", positionFill: "DEFAULT" } }),
    /** OANDA_* for the CLI (undone by vi.unstubAllEnvs). */
    stubCredentials(): void {
      vi.stubEnv("OANDA_TOKEN", sim.token);
      vi.stubEnv("OANDA_ACCOUNT_ID", sim.accountId);
      vi.stubEnv("OANDA_REST_URL", sim.restUrl);
      vi.stubEnv("OANDA_STREAM_URL", sim.streamUrl);
    },
  };
}
