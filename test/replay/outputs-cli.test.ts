// `sekisho replay --html/--trades/--sweep` as a user runs them (Deno, from source), on a small
// slice of real data (three hours of FXCM minute bars): the page is self-contained and opens in a
// browser without errors, the CSV's trades add up to the report's realized P/L, and a sweep runs
// every combination, prints one table in the given order, a row the same as a single run with
// those settings.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lines, runSekisho } from "../cli/cli-process.ts";
import { hasSharedData, sharedPath } from "../helpers/shared-data.ts";
import { artifact, browserMissing, launchBrowser } from "../console/browser.ts";
import { execFile } from "node:child_process";
import { cleanEnv, ensureBinary, isolateBinary } from "../smoke/binary.ts";

const dir = mkdtempSync(join(tmpdir(), "sekisho-replay-out-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fxcm = (f: string) => sharedPath("usdjpy", "nautilus_trader", "fxcm", f);
// The entry workers are off by default; these reports are about their trades.
const WORKERS_ON = { FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "1" };
const DATA = ["--ticks", fxcm("usdjpy-m1-bid-2013.csv"), "--ask-file", fxcm("usdjpy-m1-ask-2013.csv"), "--from", "2013-02-25T12:00", "--to", "2013-02-25T15:00"];

describe.skipIf(!hasSharedData)("replay reports", () => {
  it("--html writes one self-contained page and --trades a CSV whose P/L adds up to the report's", async () => {
    const html = join(dir, "run.html");
    const csv = join(dir, "run.csv");
    const r = await runSekisho(["replay", ...DATA, "--json", "--html", html, "--trades", csv], { env: WORKERS_ON });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const page = readFileSync(html, "utf8");
    // Nothing fetched from anywhere: no external script, style, image or font.
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    const data = JSON.parse(page.match(/<script type="application\/json" id="sekisho-data">([\s\S]*?)<\/script>/)![1]!);
    expect(data.run.report).toEqual(report);
    expect(data.run.series.account.length).toBeGreaterThan(100);
    expect(data.run.series.price.length).toBeGreaterThan(100);
    expect(data.run.series.marks.length).toBeGreaterThanOrEqual(report.orders.fills);

    const rows = readFileSync(csv, "utf8").trimEnd().split("\r\n");
    expect(rows[0]!.split(",")).toContain("realizedPL");
    const col = rows[0]!.split(",").indexOf("realizedPL");
    const trades = rows.slice(1).map((l) => l.split(","));
    expect(trades.length).toBe(data.run.trades.length);
    expect(trades.length).toBeGreaterThan(5);
    // Every realized yen of the replay belongs to one of the listed trades (no starting positions).
    const sum = trades.reduce((s, t) => s + Number(t[col]), 0);
    expect(sum).toBeCloseTo(report.pl.realized, 2);
    expect(data.run.performance.all.netPL).toBeCloseTo(report.pl.realized, 2);
  }, 120_000);

  it.skipIf(browserMissing() !== undefined)("the page draws its charts and tables in a browser, without errors", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`file://${join(dir, "run.html")}`);
      await page.locator("#perf").getByText("all of sekisho's").waitFor();
      for (const id of ["c-nav", "c-dd", "c-usage", "c-price"]) expect(await page.locator(`#${id} canvas`).count(), id).toBeGreaterThan(0);
      expect(await page.locator("#trades tbody tr").count()).toBeGreaterThan(5);
      await page.waitForTimeout(500);
      await page.screenshot({ path: artifact("replay-report.png"), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  // "The same every time" rests on two facts tested where they are cheap: the table keeps the
  // combinations' order whatever finishes first (runPool, test/replay/sweep.test.ts) and a run
  // is the same byte for byte (test/replay/cli.test.ts); here, a row is what a single run with
  // its settings gives.
  it("--sweep runs every combination and prints one table, in order; a row equals a single run with its settings", async () => {
    const html = join(dir, "sweep.html");
    const args = ["replay", ...DATA, "--sweep", "MICRO_UNITS=5000,10000", "--sweep", "MICRO_SL_PIPS=4,6", "--html", html];
    const a = await runSekisho(args, { env: WORKERS_ON });
    expect(a.code, a.stderr).toBe(0);
    const out = lines(a.stdout);
    expect(out[0]).toMatch(/^sekisho replay sweep: 4 runs on /);
    const body = out.slice(4).map((l) => l.split(/\s{2,}/));
    expect(body.map((c) => `${c[0]} ${c[1]}`)).toEqual(["5000 4", "5000 6", "10000 4", "10000 6"]);
    // One row checked against a single run with those settings in its environment.
    const single = await runSekisho(["replay", ...DATA, "--json"], { env: { ...WORKERS_ON, MICRO_UNITS: "10000", MICRO_SL_PIPS: "6" } });
    const realized = JSON.parse(single.stdout).pl.realized as number;
    expect(Number(body[3]![6]!.replace(/,/g, ""))).toBeCloseTo(realized, 2);
    expect(readFileSync(html, "utf8")).toContain('"kind":"sweep"');
  }, 240_000);

  it("the compiled binary sweeps too (its runs are copies of itself) and prints the same table as Deno", async () => {
    const { dir: bin, exe } = isolateBinary(ensureBinary());
    try {
      const args = ["replay", ...DATA.slice(0, 4), "--from", "2013-02-25T12:00", "--to", "2013-02-25T13:00", "--sweep", "MICRO_UNITS=5000,10000"];
      const fromBinary = await new Promise<string>((resolve, reject) =>
        execFile(exe, args, { cwd: bin, env: cleanEnv(bin, WORKERS_ON), timeout: 120_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))));
      const fromDeno = await runSekisho(args, { env: WORKERS_ON });
      expect(fromDeno.code, fromDeno.stderr).toBe(0);
      expect(lines(fromBinary)).toHaveLength(6);
      expect(fromBinary).toBe(fromDeno.stdout);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }, 300_000);

  it("a bad sweep is refused before anything runs: exit 2, one line naming it", async () => {
    const r = await runSekisho(["replay", ...DATA, "--sweep", "MICRO_UNITS=5000,lots"]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("MICRO_UNITS");
    const typo = await runSekisho(["replay", ...DATA, "--sweep", "MICRO_UNIT=5000"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("MICRO_UNIT: not a sekisho setting");
  }, 60_000);
});
