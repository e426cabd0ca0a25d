// Bad input gets a 4xx JSON error with a code (and the validation issues), and loses nothing:
// the agent is never called with a half-understood request.
import { afterEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./serve.ts";
import { createApp } from "../../src/http/app.ts";
import { fakeDeps } from "./fake-deps.ts";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const signal = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${api!.base}/control/signal`, { method: "POST", headers: { ...api!.auth, "Content-Type": "application/json", ...headers }, body });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await res.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  return body.error as { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

describe("400 on malformed input", () => {
  it("malformed JSON", async () => {
    api = await startApi();
    await expectError(await signal('{"instrument": "USD_JPY", side: buy'), 400, "malformed_json");
    expect(await api.deps.journal.decisions.recent(5)).toEqual([]);
  });

  it("a schema-invalid signal lists every problem by field", async () => {
    api = await startApi();
    const err = await expectError(await signal(JSON.stringify({ instrument: "usdjpy", side: "up", units: 1.5, pocket: "manual" })), 400, "invalid_request");
    const paths = err.issues!.map((i) => i.path).sort();
    expect(paths).toEqual(["instrument", "pocket", "side", "units"]);
    expect(err.issues!.find((i) => i.path === "units")!.message).toMatch(/whole units/);
    expect(await api.deps.journal.decisions.recent(5)).toEqual([]);
  });

  it("an unknown field is refused, so a typo cannot turn a reduction into a new position", async () => {
    api = await startApi();
    const err = await expectError(await signal(JSON.stringify({ instrument: "USD_JPY", side: "sell", units: 5000, reduceOnly: true })), 400, "invalid_request");
    expect(err.issues![0]!.message).toContain("reduceOnly");
  });

  it("TP/SL on a reduce-only signal is refused rather than silently dropped", async () => {
    api = await startApi();
    const err = await expectError(await signal(JSON.stringify({ instrument: "USD_JPY", side: "sell", units: 5000, reduce_only: true, sl_pips: 5 })), 400, "invalid_request");
    expect(err.issues![0]!.message).toMatch(/reduce_only/);
  });

  it("missing fields, an empty body and a JSON array are all 400", async () => {
    api = await startApi();
    const missing = await expectError(await signal(JSON.stringify({ side: "buy" })), 400, "invalid_request");
    expect(missing.issues!.map((i) => i.path).sort()).toEqual(["instrument", "units"]);
    await expectError(await signal(""), 400, "malformed_json");
    await expectError(await signal("[1,2]"), 400, "invalid_request");
  });

  it("a body that is not JSON is 415", async () => {
    api = await startApi();
    await expectError(await signal("instrument=USD_JPY", { "Content-Type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
  });

  it.each([
    ["/orders?limit=0", "limit"],
    ["/orders?limit=1001", "limit"],
    ["/orders?limit=ten", "limit"],
    ["/orders?status=done", "status"],
    ["/orders?since=yesterday", "since"],
    ["/orders?instrument=usd/jpy", "instrument"],
    ["/orders?colour=red", ""],
    ["/signals?limit=-1", "limit"],
  ])("GET %s is 400 naming %s", async (path, field) => {
    api = await startApi();
    const err = await expectError(await fetch(`${api.base}${path}`), 400, "invalid_request");
    expect(err.issues!.map((i) => i.path)).toContain(field);
  });

  it("a cursor the journal did not issue is 400", async () => {
    api = await startApi();
    const err = await expectError(await fetch(`${api.base}/orders?cursor=abc`), 400, "invalid_request");
    expect(err.message).toMatch(/cursor/);
  });

  it.each(["/control/pause?worker=nobody", "/control/resume?worker=", "/control/kill?flatten=yes", "/control/flatten?instrument=USDJPY"])("POST %s is 400 and changes nothing", async (path) => {
    api = await startApi();
    await expectError(await fetch(`${api.base}${path}`, { method: "POST", headers: api.auth }), 400, "invalid_request");
    expect(await api.deps.journal.control.recent(5)).toEqual([]);
  });

  it("a bad X-Sekisho-Actor header is 400 and changes nothing", async () => {
    api = await startApi();
    await expectError(await fetch(`${api.base}/control/kill`, { method: "POST", headers: { ...api.auth, "X-Sekisho-Actor": "a b<script>" } }), 400, "invalid_actor");
    expect((await (await fetch(`${api.base}/health`)).json()).checks.killSwitch.engaged).toBe(false);
  });
});

describe("413 on an oversized body", () => {
  const big = JSON.stringify({ instrument: "USD_JPY", side: "buy", units: 1000, id: "x".repeat(8000) });

  it("with Content-Length", async () => {
    api = await startApi({ bodyLimitBytes: 4096 });
    const err = await expectError(await signal(big), 413, "payload_too_large");
    expect(err.message).toContain("4096");
    expect(await api.deps.journal.decisions.recent(5)).toEqual([]);
  });

  it("streamed without Content-Length (chunked) as well", async () => {
    api = await startApi({ bodyLimitBytes: 4096 });
    const bytes = new TextEncoder().encode(big);
    const body = new ReadableStream<Uint8Array>({
      start(ctrl) {
        for (let i = 0; i < bytes.length; i += 1000) ctrl.enqueue(bytes.slice(i, i + 1000));
        ctrl.close();
      },
    });
    const res = await fetch(`${api.base}/control/signal`, { method: "POST", headers: { ...api.auth, "Content-Type": "application/json" }, body, duplex: "half" } as RequestInit);
    await expectError(res, 413, "payload_too_large");
    expect(await api.deps.journal.decisions.recent(5)).toEqual([]);
  });

  it("a body just under the limit is accepted", async () => {
    api = await startApi({ bodyLimitBytes: 4096 });
    const res = await signal(JSON.stringify({ instrument: "USD_JPY", side: "buy", units: 1000, id: "y".repeat(60) }));
    expect(res.status).toBe(200);
  });
});

describe("other errors are JSON too", () => {
  it("unknown routes and methods are 404 JSON", async () => {
    api = await startApi();
    await expectError(await fetch(`${api.base}/nope`), 404, "not_found");
    await expectError(await fetch(`${api.base}/health`, { method: "DELETE" }), 404, "not_found");
  });

  it("an order that does not exist is 404 order_not_found", async () => {
    api = await startApi();
    await expectError(await fetch(`${api.base}/orders/sk-missing`), 404, "order_not_found");
  });

  it("an unexpected failure is 500 without internals, and the server is told", async () => {
    const deps = await fakeDeps();
    deps.positions = async () => {
      throw new Error("SQLITE_CORRUPT at /srv/secret/path password=hunter2");
    };
    const seen: unknown[] = [];
    const app = createApp(deps, { requireTokenEverywhere: false, bodyLimitBytes: 1024, onUnexpectedError: (e) => seen.push(e) });
    const res = await app.request("/positions");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe("internal_error");
    expect(text).not.toMatch(/hunter2|SQLITE|secret/);
    expect(seen).toHaveLength(1);
    await deps.close();
  });
});
