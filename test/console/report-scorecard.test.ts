// The scorecard on the report page, in headless Chromium: `sekisho evaluate --html` (walk-forward
// parts) and `sekisho replay --html` (one run's strategies) show the numbers `sekisho evaluate
// --json` gives for the same data, as a user runs them (Deno, from source), on the scorecard's
// own fixture written as a tick file. Every number on the page is read back from the page and
// compared with the JSON at the precision the page shows it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSekisho } from "../cli/cli-process.ts";
import { buildTicks, LEGS } from "../evaluate/fixture.ts";
import { artifact, type Browser, browserMissing, launchBrowser } from "./browser.ts";
import { hasSharedData, sharedPath } from "../helpers/shared-data.ts";
import { VOLUME_ON_BARS } from "../../src/evaluate/subjects.ts";

const missing = browserMissing();
const run = missing && process.env["CI"] !== "true" ? describe.skip : describe;
if (missing) console.warn(`report scorecard browser tests: ${missing}`);

const dir = mkdtempSync(join(tmpdir(), "sekisho-scorecard-page-"));
const DATA = join(dir, "USDJPY-fixture.csv");
const FAST_ALONE = { FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0" };

// deno-lint-ignore no-explicit-any
type Json = any;
type Row = Record<string, string> & { _subject: string; _part: string };

/** The page's rows of one scorecard table, each as header -> cell text, plus its data attributes. */
async function rows(page: Page, table: string): Promise<Row[]> {
  return page.locator(`#scorecard table[data-table="${table}"]`).evaluate((t) => {
    const head = [...t.querySelectorAll("thead th")].map((th) => th.textContent ?? "");
    return [...t.querySelectorAll("tbody tr")].map((tr) => {
      const r: Record<string, string> & { _subject: string; _part: string } = { _subject: tr.getAttribute("data-subject") ?? "", _part: tr.getAttribute("data-part") ?? "" };
      [...tr.querySelectorAll("td")].forEach((td, i) => { r[head[i]!] = td.textContent ?? ""; });
      return r;
    });
  });
}

/** A shown number against the JSON's: "—" is null; "38.4%" a share; "1,700" a whole amount. */
function expectShown(shown: string, value: number | null, what: string): void {
  if (value === null) return void expect(shown, what).toBe("—");
  const pct = shown.endsWith("%");
  const n = Number(shown.replace(/[,%]/g, ""));
  const decimals = (shown.replace("%", "").split(".")[1] ?? "").length;
  const tolerance = 0.5 * 10 ** -decimals + 1e-9;
  expect(Math.abs((pct ? n / 100 : n) - value), `${what}: page ${shown}, JSON ${value}`).toBeLessThanOrEqual(pct ? tolerance / 100 : tolerance);
}

function expectScore(row: Row | undefined, s: Json, what: string): void {
  expect(row, what).toBeDefined();
  const fields: Array<[string, number | null]> = [["trades", s.trades], ["/day", s.tradesPerDay], ["win", s.winRate], ["PF", s.profitFactor], ["exp pips", s.expectancyPips],
    ["net P/L", s.netPL], ["max DD", s.maxDrawdown], ["Sharpe", s.sharpe], ["spread", s.spreadCost], ["spread share", s.spreadShare]];
  for (const [col, v] of fields) expectShown(row![col]!, v, `${what} ${col}`);
}

run("the scorecard on the report page, in headless Chromium", () => {
  let browser: Browser | undefined;
  const problems: string[] = [];
  const open = async (file: string): Promise<Page> => {
    const page = await browser!.context.newPage();
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`file://${file}`);
    await page.locator("#caveat").waitFor();
    return page;
  };

  beforeAll(async () => {
    const ticks = buildTicks(LEGS);
    writeFileSync(DATA, `timestamp,bid,ask\n${ticks.map((t) => `${new Date(t.time).toISOString()},${t.bid},${t.ask}`).join("\n")}\n`);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("evaluate --html shows every walk-forward part with the numbers of evaluate --json, and the caveat", async () => {
    const html = join(dir, "evaluate.html");
    const r = await runSekisho(["evaluate", DATA, "--subjects", "fast_scalp,all", "--walk-forward", "0.6", "--min-trades", "1", "--json", "--quiet", "--html", html]);
    expect(r.code, r.stderr).toBe(0);
    const card = JSON.parse(r.stdout);
    // The page carries the same scorecard the JSON printed.
    expect(JSON.parse(readFileSync(html, "utf8").match(/id="sekisho-data">([\s\S]*?)<\/script>/)![1]!).scorecard).toEqual(card);

    const page = await open(html);
    const shown = await rows(page, "walk-forward");
    for (const res of card.results) {
      const w = res.walkForward;
      expect(w.outOfSample.trades, "the fixture trades out of sample, else this proves little").toBeGreaterThan(0);
      const mine = shown.filter((x) => x._subject === res.subject);
      for (const t of w.tried) {
        const row = mine.find((x) => x._part.startsWith("in") && x["settings"]!.startsWith(t.label));
        expectScore(row, t.inSample, `${res.subject} in sample ${t.label}`);
        expect(row!._part === "in-chosen", `${t.label} marked chosen`).toBe(t.label === w.chosen);
      }
      const out = mine.find((x) => x._part === "out")!;
      expectScore(out, w.outOfSample, `${res.subject} out of sample`);
      expect(out["settings"]).toBe(`${w.chosen} (chosen)`);
      expect(out["verdict"]).toBe({ beats_costs: "beats its costs", loses_after_costs: "loses after costs", too_few_trades: "too few trades" }[res.verdict as string]);
      const inForce = mine.find((x) => x._part === "out-in-force");
      if (w.chosen === w.tried[0].label) expect(inForce).toBeUndefined();
      else expectScore(inForce, w.outOfSampleCurrent, `${res.subject} out of sample, settings in force`);
    }
    expect(await page.locator("#caveat").textContent()).toBe(card.caveat);
    expect(card.caveat).toContain("1 trading day");
    await page.screenshot({ path: artifact("evaluate-scorecard.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);

  it("replay --html shows the run's scorecard by strategy, equal to evaluate's for the same settings", async () => {
    const html = join(dir, "replay.html");
    const rep = await runSekisho(["replay", "--ticks", DATA, "--html", html, "--json"], { env: FAST_ALONE });
    expect(rep.code, rep.stderr).toBe(0);
    const ev = await runSekisho(["evaluate", DATA, "--subjects", "fast_scalp", "--min-trades", "1", "--json", "--quiet"]);
    expect(ev.code, ev.stderr).toBe(0);
    const card = JSON.parse(ev.stdout);
    const full = card.results[0].full;
    expect(full.trades).toBeGreaterThan(3);

    const page = await open(html);
    const shown = await rows(page, "full");
    expect(shown.map((x) => x._subject).sort()).toEqual(["all", "fast_scalp"]);
    for (const subject of ["fast_scalp", "all"]) {
      const row = shown.find((x) => x._subject === subject);
      expectScore(row, full, `replay page ${subject}`);
      expect(row!["days"]).toBe(String(full.days));
    }
    expect(await page.locator("#caveat").textContent()).toBe(card.caveat);
    // The run's own charts and tables are still drawn.
    await page.locator("#perf").getByText("all of sekisho's").waitFor();
    expect(await page.locator("#c-nav canvas").count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifact("replay-scorecard.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);

  it.skipIf(!hasSharedData)("on bars, volume is not evaluable: evaluate does not run momentum_burst and says why, and the replay page says so beside its numbers", async () => {
    const fxcm = (f: string) => sharedPath("usdjpy", "nautilus_trader", "fxcm", f);
    const window = ["--from", "2013-02-25", "--to", "2013-02-26"];
    const ev = await runSekisho(["evaluate", `${fxcm("usdjpy-m1-bid-2013.csv")}+${fxcm("usdjpy-m1-ask-2013.csv")}`, ...window, "--subjects", "micro:momentum_burst,micro:vwap_band", "--json", "--quiet"]);
    expect(ev.code, ev.stderr).toBe(0);
    const card = JSON.parse(ev.stdout);
    expect(card.results.map((r: Json) => [r.subject, r.verdict])).toEqual([["micro:momentum_burst", "unsuited"], ["micro:vwap_band", expect.not.stringMatching(/unsuited/)]]);
    expect(card.results[0].unsuited).toContain("same tick volume");
    expect(card.notes).toEqual([VOLUME_ON_BARS]);

    const html = join(dir, "bars.html");
    const rep = await runSekisho(["replay", "--ticks", fxcm("usdjpy-m1-bid-2013.csv"), "--ask-file", fxcm("usdjpy-m1-ask-2013.csv"), ...window, "--html", html],
      { env: { MICRO_MULTISTRAT_ENABLED: "1", MICRO_STRATEGY_ALLOWLIST: "momentum_burst,range_break" } });
    expect(rep.code, rep.stderr).toBe(0);
    const page = await open(html);
    expect(await page.locator("#scorecard [data-note]").allTextContents()).toEqual([VOLUME_ON_BARS]);
    // The same data as ticks would have no such note: the fixture's page above has none.
    const ticksPage = await open(join(dir, "replay.html"));
    expect(await ticksPage.locator("#scorecard [data-note]").count()).toBe(0);
    expect(problems).toEqual([]);
  }, 180_000);
});
