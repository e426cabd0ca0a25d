// The dashboard in a real browser (headless Chromium) against the compiled binary in paper mode,
// the same build the smoke and end-to-end tests use: the page loads without console errors,
// shows the account and a filled order, updates when a new fill arrives, and the kill button
// works with the control token and is refused without it. Screenshots: test-artifacts/console/.
import { rmSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Agent, startAgent, waitForHealthOk } from "../smoke/agent-process.ts";
import { cleanEnv, ensureBinary, isolateBinary } from "../smoke/binary.ts";
import { artifact, type Browser, browserMissing, launchBrowser } from "./browser.ts";

const TOKEN = "console-test-token-0123456789abcdef";
const AUTH = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
const missing = browserMissing();
// On CI the browser is installed by .ci/run: missing there is a failure, not a skip.
const run = missing && process.env["CI"] !== "true" ? describe.skip : describe;
if (missing) console.warn(`dashboard browser tests: ${missing}`);

run("the dashboard at / in headless Chromium, against the binary in paper mode", () => {
  let dir = "";
  let agent: Agent | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base = "";
  const problems: string[] = [];

  const signal = async (id: string, units: number) => {
    const res = await fetch(`${base}/control/signal`, { method: "POST", headers: AUTH, body: JSON.stringify({ id, instrument: "USD_JPY", side: "buy", units }) });
    return (await res.json()) as { outcome: string; reason: string; clientId: string | null; orderStatus: string | null };
  };
  const health = async () => (await (await fetch(`${base}/health`)).json()) as { checks: { killSwitch: { engaged: boolean } } };

  beforeAll(async () => {
    dir = isolateBinary(ensureBinary()).dir;
    agent = await startAgent(`${dir}/sekisho`, ["run"], {
      cwd: dir,
      // Workers off: every fill on the page is one this test made, so "a new fill" is unambiguous.
      env: cleanEnv(dir, { HTTP_PORT: "0", CONTROL_TOKEN: TOKEN, NO_COLOR: "1", FAST_SCALP_ENABLED: "0", MICRO_MULTISTRAT_ENABLED: "0" }),
      timeoutMs: 30_000,
    });
    base = agent.url;
    await waitForHealthOk(base, 30_000);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await agent?.stop("SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads without console errors and shows the mode, the account and a filled order", async () => {
    const first = await signal("dash-1", 20_000);
    expect(first).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.locator("#mode").getByText("PAPER").waitFor();
    await page.locator("#acct").getByText(/^\d{3}-\d{3}-\d+-\d{3} · JPY$/).waitFor();
    // NAV of the simulator's 500,000 JPY account, give or take the open position's P/L.
    await expect.poll(async () => Number((await page.locator(".card .value").first().innerText()).replace(/[^\d.]/g, "")), { timeout: 10_000 }).toBeGreaterThan(400_000);
    await page.locator("#orders").getByText(first.clientId!).waitFor();
    await expect.poll(() => page.locator("#orders tr", { hasText: first.clientId! }).innerText()).toContain("filled");
    await page.locator("#positions").getByText("USD_JPY").waitFor();
    await page.locator("#workers").getByText("hedge_balancer").waitFor();
    // History charts are drawn (one canvas per chart at least).
    expect(await page.locator("#chart-nav canvas").count()).toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: artifact("dashboard-en.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);

  it("shows a new fill without a reload", async () => {
    const second = await signal("dash-2", 5_000);
    expect(second).toMatchObject({ outcome: "accepted", orderStatus: "filled" });
    await page.locator("#orders").getByText(second.clientId!).waitFor({ timeout: 5_000 });
    await page.locator("#decisions").getByText(/operator/).first().waitFor();
  }, 30_000);

  it("refuses the kill switch without the token: the token is asked for, a wrong one is refused and nothing changes", async () => {
    await page.getByRole("button", { name: "Kill switch", exact: true }).click();
    const dlg = page.locator("#dlg-token");
    await dlg.waitFor({ state: "visible" });
    await dlg.getByRole("button", { name: "Cancel" }).click();
    expect((await health()).checks.killSwitch.engaged).toBe(false);

    await page.getByRole("button", { name: "Kill switch", exact: true }).click();
    await page.locator("#token-input").fill("not-the-right-token-at-all");
    await page.locator("#token-ok").click();
    await page.locator("#dlg-confirm").waitFor({ state: "visible" });
    await page.locator("#confirm-ok").click();
    await page.locator("#ctlmsg").getByText(/refused/).waitFor();
    expect((await health()).checks.killSwitch.engaged).toBe(false);
    // The browser logs the refused request itself (a 401); that, and nothing else, is expected here.
    expect(problems).toEqual([expect.stringContaining("status of 401")]);
    problems.length = 0;
    // The wrong token is forgotten, and no token ever appears in the address bar.
    expect(await page.evaluate(() => sessionStorage.getItem("sekisho.controlToken"))).toBeNull();
    expect(page.url()).not.toContain("token");
    await page.screenshot({ path: artifact("dashboard-refused.png") });
  }, 30_000);

  it("with the token and a confirmation the kill button stops entries", async () => {
    await page.locator("#tokenbtn").click();
    await page.locator("#token-input").fill(TOKEN);
    await page.locator("#token-ok").click();
    await page.getByRole("button", { name: "Kill switch", exact: true }).click();
    await expect.poll(() => page.locator("#confirm-text").innerText()).toContain("no new entries");
    await page.locator("#confirm-ok").click();
    await page.locator("#killbanner").getByText("KILL SWITCH ENGAGED").waitFor({ timeout: 5_000 });
    expect((await health()).checks.killSwitch.engaged).toBe(true);
    const entry = await signal("dash-after-kill", 1_000);
    expect(entry).toMatchObject({ outcome: "skipped", reason: "kill_switch" });
    // The token stays in this tab's sessionStorage only, never in the URL.
    expect(await page.evaluate(() => sessionStorage.getItem("sekisho.controlToken"))).toBe(TOKEN);
    expect(page.url()).toBe(`${base}/`);
    await page.waitForTimeout(1200);
    await page.screenshot({ path: artifact("dashboard-killed.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 30_000);

  it("flattens one instrument from its row: the trades then show as closed, with their P/L", async () => {
    await page.locator('#positions button[data-action="flatten"][data-instrument="USD_JPY"]').click();
    await expect.poll(() => page.locator("#confirm-text").innerText()).toContain("USD_JPY");
    await page.locator("#confirm-ok").click();
    await page.locator("#ctlmsg").getByText("flatten USD_JPY: done").waitFor({ timeout: 15_000 });
    // The two operator trades (20,000 and 5,000) closed by the flatten, listed under Closed.
    const closed = page.locator("#trades-closed tbody tr");
    await expect.poll(() => closed.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const text = await page.locator("#trades-closed").innerText();
    expect(text).toMatch(/20,000/);
    expect(text).toMatch(/flatten/);
    // ...with their realized P/L (the spread paid: a loss of a few hundred yen at most).
    expect(text).toMatch(/-\d{1,3}(,\d{3})?\b/);
    await expect.poll(() => page.locator("#trades-open").innerText()).toContain("none");
    await page.waitForTimeout(1200);
    await page.screenshot({ path: artifact("dashboard-flattened.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 40_000);

  it("speaks Japanese with ?lang=ja", async () => {
    const ja = await browser!.context.newPage();
    await ja.goto(`${base}/?lang=ja`);
    await ja.locator("#mode").getByText("ペーパー").waitFor();
    await ja.getByText("証拠金使用率 (必要証拠金 / NAV)").waitFor();
    await ja.waitForTimeout(1500);
    await ja.screenshot({ path: artifact("dashboard-ja.png"), fullPage: true });
    await ja.close();
    expect(problems).toEqual([]);
  }, 30_000);
});
