// `sekisho replay` as a user runs it: a child process under Deno with a clean environment.
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lines, runSekisho } from "../cli/cli-process.ts";
import { hasSharedData, sharedPath } from "../helpers/shared-data.ts";

describe("sekisho replay (CLI)", () => {
  it("a file it cannot read: one line naming the file, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sekisho-replay-cli-"));
    try {
      const junk = join(dir, "notes.txt");
      writeFileSync(junk, "hello world\n");
      const r = await runSekisho(["replay", "--ticks", junk]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(`--ticks ${junk}: cannot tell the format`);
      const missing = await runSekisho(["replay", "--ticks", join(dir, "nope.csv")]);
      expect(missing.code).toBe(2);
      expect(lines(missing.stderr)).toEqual([`sekisho: --ticks ${join(dir, "nope.csv")}: file not found`]);
      const badFormat = await runSekisho(["replay", "--ticks", junk, "--format", "excel"]);
      expect(badFormat.code).toBe(2);
      expect(lines(badFormat.stderr)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasSharedData)("a scenario it cannot use: replay and evaluate both say so in one line naming it, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sekisho-replay-cli-"));
    try {
      const file = sharedPath("usdjpy", "nautilus_trader", "truefx", "usdjpy-ticks.csv");
      const scenario = join(dir, "bad.json");
      writeFileSync(scenario, JSON.stringify({ account: { balance: -5 } }));
      for (const args of [["replay", "--ticks", file], ["evaluate", file]]) {
        const r = await runSekisho([...args, "--scenario", scenario]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expect(lines(r.stderr)).toHaveLength(1);
        expect(r.stderr.startsWith(`sekisho: --scenario ${scenario}: account.balance`)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasSharedData)("same input, same report byte for byte (JSON), and the text report names every section", async () => {
    const file = sharedPath("usdjpy", "nautilus_trader", "truefx", "usdjpy-ticks.csv");
    // fast_scalp ships switched off; switched on here to see its spread gate at work.
    const env = { FAST_SCALP_ENABLED: "1" };
    const a = await runSekisho(["replay", "--ticks", file, "--json"], { env });
    const b = await runSekisho(["replay", "--ticks", file, "--json"], { env });
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const r = JSON.parse(a.stdout);
    expect(r.input).toMatchObject({ format: "truefx-csv", instrument: "USD_JPY" });
    expect(r.ticks.replayed).toBe(1000);
    // The thin New Year reopen: spreads up to 7 pips, so fast_scalp's spread gate refuses most ticks.
    expect(r.workers.fastScalpSkips.spread).toBeGreaterThan(500);
    expect(a.stderr).toBe(""); // pino is silent unless LOG_LEVEL is set

    const text = await runSekisho(["replay", "--ticks", file]);
    expect(text.code).toBe(0);
    for (const section of ["Data", "Account", "Signals", "Gate decisions", "Orders", "Margin", "Profit and loss", "Workers"]) {
      expect(text.stdout).toContain(`\n${section}\n`);
    }
    expect(text.stderr).toMatch(/^replayed 1000 ticks in [\d.]+ s\n$/);
  });

  it.skipIf(!hasSharedData)("--compare-models: the run as an OANDA Japan account and as the memo's, side by side; the default is Japan's", async () => {
    const file = sharedPath("usdjpy", "nautilus_trader", "truefx", "usdjpy-ticks.csv");
    const json = await runSekisho(["replay", "--ticks", file, "--compare-models", "--json"]);
    expect(json.code).toBe(0);
    const both = JSON.parse(json.stdout);
    expect(Object.keys(both)).toEqual(["japan", "memo"]);
    expect(both.japan.account).toMatchObject({ brokerMarginModel: "max_side", brokerCloseoutRule: "japan" });
    expect(both.memo.account).toMatchObject({ brokerMarginModel: "net", brokerCloseoutRule: "half" });
    expect(both.japan.ticks).toEqual(both.memo.ticks);
    const single = JSON.parse((await runSekisho(["replay", "--ticks", file, "--json"])).stdout);
    expect(single).toEqual(both.japan);
    const text = await runSekisho(["replay", "--ticks", file, "--compare-models"]);
    expect(text.stdout).toMatch(/^\s+OANDA Japan \(max_side, japan\)\s+memo \(net, half\)$/m);
    expect(text.stdout).toMatch(/^margin closeouts\s+\d+\s+\d+$/m);
    expect(text.stderr).toMatch(/^replayed 1000 ticks twice in [\d.]+ s\n$/);
  }, 120_000);
});
