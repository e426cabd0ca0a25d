// /openapi.json must be a valid OpenAPI document, describe every endpoint, and tell the truth:
// real responses validate against the schemas it publishes.
import SwaggerParser from "@apidevtools/swagger-parser";
import Ajv2020 from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./serve.ts";

let api: TestApi;
let doc: Record<string, any>;
beforeAll(async () => {
  api = await startApi();
  const res = await fetch(`${api.base}/openapi.json`);
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(async () => {
  await api.close();
});

const ENDPOINTS: Array<[string, string]> = [
  ["get", "/health"], ["get", "/positions"], ["get", "/orders"], ["get", "/orders/{clientId}"], ["get", "/signals"],
  ["get", "/metrics"], ["get", "/config"], ["post", "/control/pause"], ["post", "/control/resume"], ["post", "/control/kill"],
  ["post", "/control/flatten"], ["post", "/control/signal"], ["get", "/trades"], ["get", "/pnl"],
];

describe("GET /openapi.json", () => {
  it("passes swagger-parser's validation", async () => {
    // validate() dereferences in place, so give it a copy.
    const validated = await SwaggerParser.validate(structuredClone(doc) as never);
    expect((validated as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it("describes every endpoint, and the control ones require the bearer scheme", () => {
    for (const [method, path] of ENDPOINTS) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [method, path] of ENDPOINTS.filter(([, p]) => p.startsWith("/control/"))) {
      const op = doc.paths[path][method];
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "413"]));
    }
  });

  it("real responses validate against the schemas the document publishes", async () => {
    const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as Record<string, any>;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat("date-time", true);
    const check = async (method: string, path: string, url: string, init?: RequestInit) => {
      const res = await fetch(`${api.base}${url}`, init);
      const schema = deref.paths[path][method].responses[String(res.status)]?.content?.["application/json"]?.schema;
      expect(schema, `${url} ${res.status} is documented`).toBeDefined();
      const body = await res.json();
      const valid = ajv.validate(schema, body);
      expect(valid, `${url}: ${ajv.errorsText()}`).toBe(true);
    };
    const post = { method: "POST", headers: { ...api.auth, "Content-Type": "application/json" } };
    await check("get", "/health", "/health");
    api.deps.setPricingStatus("down");
    await check("get", "/health", "/health");
    api.deps.setPricingStatus("ok");
    await check("get", "/positions", "/positions");
    await check("get", "/orders", "/orders?limit=1");
    await check("get", "/orders", "/orders?limit=0");
    await check("get", "/orders/{clientId}", "/orders/sk-a1");
    await check("get", "/orders/{clientId}", "/orders/sk-none");
    await check("post", "/control/signal", "/control/signal", { ...post, body: JSON.stringify({ id: "doc-1", instrument: "USD_JPY", side: "buy", units: 1000 }) });
    await check("get", "/signals", "/signals");
    await check("post", "/control/signal", "/control/signal", { ...post, body: JSON.stringify({ instrument: "USD_JPY", side: "buy", units: 1000, reduce_only: true }) });
    await check("post", "/control/signal", "/control/signal", { ...post, body: "{" });
    await check("post", "/control/signal", "/control/signal", { method: "POST", body: "{}" });
    await check("post", "/control/pause", "/control/pause?worker=hedge_balancer", post);
    await check("post", "/control/kill", "/control/kill?flatten=1", post);
    await check("post", "/control/flatten", "/control/flatten?instrument=USD_JPY", post);
    await check("get", "/config", "/config");
    // Trades and P/L over a ledger with one closed and one open trade (none before: the derived
    // ledger the agent keeps between polls must follow the journal).
    expect(((await (await fetch(`${api.base}/trades`)).json()) as { trades: unknown[] }).trades).toEqual([]);
    const t = (s: string) => `2026-01-05T0${s}.000000000Z`;
    await api.deps.journal.transactions.append("101-009-1234567-001", [
      { id: "10", type: "ORDER_FILL", time: t("8:00:00"), orderID: "9", clientOrderID: "sk-a1", instrument: "USD_JPY", units: "1000", price: "155.000", reason: "MARKET_ORDER", pl: "0", financing: "0", accountBalance: "500000", tradeOpened: { tradeID: "10", units: "1000", price: "155.000" } },
      { id: "12", type: "ORDER_FILL", time: t("9:00:00"), orderID: "11", instrument: "USD_JPY", units: "-1000", price: "155.100", reason: "TAKE_PROFIT_ORDER", pl: "100.0000", financing: "0", accountBalance: "500100", tradesClosed: [{ tradeID: "10", units: "-1000", price: "155.100", realizedPL: "100.0000", financing: "0" }] },
      { id: "13", type: "ORDER_FILL", time: t("9:30:00"), orderID: "13", instrument: "USD_JPY", units: "-2000", price: "155.000", reason: "MARKET_ORDER", pl: "0", financing: "0", accountBalance: "500100", tradeOpened: { tradeID: "13", units: "-2000", price: "155.000" } },
    ]);
    await check("get", "/trades", "/trades");
    await check("get", "/trades", "/trades?state=closed&reason=take_profit&limit=1");
    await check("get", "/trades", "/trades?state=maybe");
    await check("get", "/trades", "/trades?cursor=abc");
    await check("get", "/pnl", "/pnl");
    await check("get", "/pnl", "/pnl?by=pocket&from=2026-01-01");
    await check("get", "/pnl", "/pnl?by=week");
    const trades = (await (await fetch(`${api.base}/trades`)).json()) as { trades: { id: string; state: string; closeReason: string | null }[] };
    expect(trades.trades.map((x) => [x.id, x.state, x.closeReason])).toEqual([["13", "open", null], ["10", "closed", "take_profit"]]);
    expect((await fetch(`${api.base}/trades?cursor=abc`)).status).toBe(400);
    const pnl = (await (await fetch(`${api.base}/pnl`)).json()) as { rows: { key: string; realized: number }[] };
    expect(pnl.rows).toEqual([expect.objectContaining({ key: "2026-01-05", realized: 100 })]);
  });
});
