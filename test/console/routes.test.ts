// The dashboard's shell and assets over HTTP: served by the agent's own app, with a strict
// content security policy, and without a token even where the API needs one everywhere (they
// carry no data; the API behind them still refuses without the token).
import { afterEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "../http/serve.ts";
import { CONSOLE_CSS, CONSOLE_JS } from "../../src/console/assets.generated.ts";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe("GET / (the dashboard)", () => {
  it("serves the page, its script and its styles from the program itself", async () => {
    api = await startApi();
    const page = await fetch(`${api.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await page.text();
    // Nothing from another host: every asset is this origin's.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const js = html.match(/src="(\/console\/app\.js\?v=\w+)"/)![1]!;
    const css = html.match(/href="(\/console\/app\.css\?v=\w+)"/)![1]!;
    const jsRes = await fetch(`${api.base}${js}`);
    expect(jsRes.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await jsRes.text()).toBe(CONSOLE_JS);
    expect(await (await fetch(`${api.base}${css}`)).text()).toBe(CONSOLE_CSS);
  });

  it("off loopback the shell loads without a token, and the data behind it still needs one", async () => {
    api = await startApi({ requireTokenEverywhere: true });
    expect((await fetch(`${api.base}/`)).status).toBe(200);
    expect((await fetch(`${api.base}/console/app.js`)).status).toBe(200);
    expect((await fetch(`${api.base}/positions`)).status).toBe(401);
    expect((await fetch(`${api.base}/history`)).status).toBe(401);
    expect((await fetch(`${api.base}/positions`, { headers: api.auth })).status).toBe(200);
    // The token's name never appears in the page: the script asks for it, it is not baked in.
    expect(await (await fetch(`${api.base}/`)).text()).not.toContain("Bearer");
  });
});
