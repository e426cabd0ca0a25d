// Control endpoints move money: no request without the right bearer token may reach the agent.
import { afterEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./serve.ts";
import { SECRETS } from "./fake-deps.ts";

const CONTROL_ROUTES = ["/control/pause", "/control/resume", "/control/kill?flatten=1", "/control/flatten", "/control/signal"];
const SIGNAL = JSON.stringify({ instrument: "USD_JPY", side: "buy", units: 10_000 });

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function post(path: string, headers: Record<string, string> = {}, body: string = SIGNAL) {
  return fetch(`${api!.base}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
}

describe("control endpoints need the bearer token", () => {
  it.each(CONTROL_ROUTES)("%s: 401 JSON without a token, with a wrong one, or with another scheme; nothing reaches the agent", async (path) => {
    api = await startApi();
    for (const headers of [{} as Record<string, string>, { Authorization: "Bearer wrong-token" }, { Authorization: `Bearer ${SECRETS.CONTROL_TOKEN}x` }, { Authorization: `Basic ${btoa(`x:${SECRETS.CONTROL_TOKEN}`)}` }]) {
      const res = await post(path, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="sekisho"/);
      const body = await res.json();
      expect(body.error.code).toBe("unauthorized");
      expect(JSON.stringify(body)).not.toContain(SECRETS.CONTROL_TOKEN);
    }
    expect(await api.deps.journal.control.recent(10)).toEqual([]);
    expect(await api.deps.journal.decisions.recent(10)).toEqual([]);
    expect((await (await fetch(`${api.base}/health`)).json()).checks.killSwitch.engaged).toBe(false);
  });

  it("a wrong token says invalid_token in WWW-Authenticate", async () => {
    api = await startApi();
    const res = await post("/control/pause", { Authorization: "Bearer nope" });
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("the right token pauses, resumes and kills, and each change is journaled with who did it", async () => {
    api = await startApi();
    const pause = await post("/control/pause?worker=fast_scalp", { ...api.auth, "X-Sekisho-Actor": "alice" }, "");
    expect(pause.status).toBe(200);
    expect((await pause.json()).paused.workers).toEqual(["fast_scalp"]);
    let health = await (await fetch(`${api.base}/health`)).json();
    expect(health.checks.workers.pausedWorkers).toEqual(["fast_scalp"]);

    const resume = await post("/control/resume", api.auth, "");
    expect((await resume.json()).paused).toEqual({ all: false, workers: [] });

    const kill = await post("/control/kill?flatten=1", api.auth, "");
    expect(kill.status).toBe(200);
    const killed = await kill.json();
    expect(killed.state.killSwitch).toMatchObject({ engaged: true, flatten: true, by: "api:operator" });
    expect(killed.flatten.orders).toHaveLength(1);
    health = await (await fetch(`${api.base}/health`)).json();
    expect(health.status).toBe("degraded");
    expect(health.checks.killSwitch.engaged).toBe(true);

    const actions = (await api.deps.journal.control.recent(10)).reverse();
    expect(actions.map((a) => [a.action, a.actor])).toEqual([["pause", "api:alice"], ["resume", "api:operator"], ["kill", "api:operator"]]);
  });

  it("an operator signal gets the gate's decision back", async () => {
    api = await startApi();
    const res = await post("/control/signal", api.auth, JSON.stringify({ id: "op-42", instrument: "USD_JPY", side: "sell", units: 20_000 }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ signalId: "op-42", outcome: "accepted", units: 20_000, clientId: "sk-op-42" });
    const decisions = await (await fetch(`${api.base}/signals?limit=5`)).json();
    expect(decisions.decisions[0]).toMatchObject({ signalId: "op-42", worker: "operator", pocket: "macro", outcome: "accepted" });
  });

  it("without CONTROL_TOKEN configured, control answers 403 control_disabled whatever is sent; reads still work", async () => {
    api = await startApi({ controlToken: undefined });
    for (const headers of [{} as Record<string, string>, { Authorization: "Bearer anything" }, { Authorization: "Bearer " }]) {
      const res = await post("/control/kill", headers, "");
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("control_disabled");
    }
    expect(await api.deps.journal.control.recent(10)).toEqual([]);
    expect((await fetch(`${api.base}/health`)).status).toBe(200);
  });
});

describe("bound off loopback: every endpoint needs the token", () => {
  it.each(["/health", "/positions", "/orders", "/orders/sk-a1", "/signals", "/metrics", "/config", "/openapi.json", "/no-such-page"])("GET %s is 401 without the token and served with it", async (path) => {
    api = await startApi({ requireTokenEverywhere: true });
    const anon = await fetch(`${api.base}${path}`);
    expect(anon.status).toBe(401);
    expect((await anon.json()).error.code).toBe("unauthorized");
    expect((await fetch(`${api.base}${path}`, { headers: { Authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await fetch(`${api.base}${path}`, { headers: api.auth });
    expect(ok.status).toBe(path === "/no-such-page" ? 404 : 200);
    await ok.body?.cancel();
  });

  it("without a configured token nothing is served at all (fails closed)", async () => {
    api = await startApi({ requireTokenEverywhere: true, controlToken: undefined });
    expect((await fetch(`${api.base}/health`)).status).toBe(403);
  });
});
