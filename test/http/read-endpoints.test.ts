// What `curl` shows an operator: health with the right status code, the journal filtered and
// paged, and configuration with no secret in it.
import { afterEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./serve.ts";
import { SECRETS } from "./fake-deps.ts";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const get = (path: string) => fetch(`${api!.base}${path}`);

describe("GET /health", () => {
  it("is 200 for ok and degraded, 503 for down, and never cached", async () => {
    api = await startApi();
    const ok = await get("/health");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toMatchObject({ status: "ok", mode: "paper", checks: { journal: { writable: true } } });

    api.deps.setPricingStatus("degraded");
    const degraded = await get("/health");
    expect(degraded.status).toBe(200);
    expect((await degraded.json()).status).toBe("degraded");

    api.deps.setPricingStatus("down");
    const down = await get("/health");
    expect(down.status).toBe(503);
    const body = await down.json();
    expect(body.status).toBe("down");
    expect(body.checks.pricingStream.connected).toBe(false);
  });

  it("is 503 JSON when the report itself fails", async () => {
    api = await startApi({}, (d) => {
      d.health = async () => {
        throw new Error("boom");
      };
    });
    const res = await get("/health");
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("health_unavailable");
  });
});

describe("GET /orders", () => {
  it("filters by status and instrument and pages with nextCursor, newest first", async () => {
    api = await startApi();
    const all = await (await get("/orders")).json();
    expect(all.orders.map((o: { clientId: string }) => o.clientId)).toEqual(["sk-a2", "sk-a1"]);
    expect(all.nextCursor).toBeNull();

    const filled = await (await get("/orders?status=filled&instrument=USD_JPY")).json();
    expect(filled.orders).toHaveLength(1);
    expect(filled.orders[0]).toMatchObject({ clientId: "sk-a1", status: "filled", fillPrice: 157.12, filledUnits: 10_000 });

    expect((await (await get("/orders?instrument=EUR_USD")).json()).orders).toEqual([]);

    const page1 = await (await get("/orders?limit=1")).json();
    expect(page1.orders.map((o: { clientId: string }) => o.clientId)).toEqual(["sk-a2"]);
    expect(typeof page1.nextCursor).toBe("string");
    const page2 = await (await get(`/orders?limit=1&cursor=${encodeURIComponent(page1.nextCursor)}`)).json();
    expect(page2.orders.map((o: { clientId: string }) => o.clientId)).toEqual(["sk-a1"]);
    expect(page2.nextCursor).toBeNull();
  });

  it("since accepts ISO 8601 and epoch milliseconds alike", async () => {
    api = await startApi();
    const a1 = await (await get("/orders/sk-a1")).json();
    const a2 = await (await get("/orders/sk-a2")).json();
    const sinceIso = await (await get(`/orders?since=${encodeURIComponent(a2.intentAt)}`)).json();
    expect(sinceIso.orders.map((o: { clientId: string }) => o.clientId)).toEqual(["sk-a2"]);
    const sinceMs = await (await get(`/orders?since=${Date.parse(a1.intentAt)}`)).json();
    expect(sinceMs.orders).toHaveLength(2);
  });

  it("GET /orders/{clientId} returns the journal row", async () => {
    api = await startApi();
    const res = await get("/orders/sk-a2");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ clientId: "sk-a2", status: "cancelled", cancelReason: "MARKET_HALTED", side: "sell" });
  });
});

describe("GET /config", () => {
  it("shows every setting but no secret value, not even inside a URL", async () => {
    api = await startApi();
    const res = await get("/config");
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    const config = JSON.parse(text);
    expect(config.CONTROL_TOKEN).toBe("[redacted]");
    expect(config.OANDA_TOKEN).toBe("[redacted]");
    expect(config.TURSO_AUTH_TOKEN).toBe("[redacted]");
    expect(config.HEDGE_TRIGGER_MARGIN_USAGE).toBe(0.88);
    expect(config.TURSO_DATABASE_URL).toContain("orders-acme.turso.io");
  });

  it("no endpoint echoes the control token, even on errors", async () => {
    api = await startApi({ requireTokenEverywhere: true });
    for (const path of ["/health", "/positions", "/orders", "/signals", "/config", "/metrics", "/openapi.json", "/nope", "/orders?limit=0"]) {
      const text = await (await fetch(`${api.base}${path}`, { headers: api.auth })).text();
      for (const secret of Object.values(SECRETS)) expect(text, path).not.toContain(secret);
    }
  });
});
