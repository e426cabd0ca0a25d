// `sekisho size`, the operator's what-if calculator, called in-process through runCli with the
// output captured. The working directory is a fresh temp dir and the sekisho variables of the
// test runner's environment are removed, so only what each test sets applies.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/program.ts";
import { CONFIG_KEYS } from "../../src/config/schema.ts";

interface Out { code: number; stdout: string; stderr: string }

async function sekisho(...args: string[]): Promise<Out> {
  let stdout = "";
  let stderr = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const MEMO = ["size", "--nav", "500000", "--price", "155", "--margin-rate", "0.04", "--long", "0", "--short", "45000", "--side", "buy"];

let home = "";
let cwd = "";
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  cwd = process.cwd();
  home = mkdtempSync(join(tmpdir(), "sekisho-size-"));
  process.chdir(home);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  for (const k of CONFIG_KEYS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
});
afterEach(() => {
  for (const k of CONFIG_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(join(home, ".env"), { force: true });
});

describe("sekisho size --json", () => {
  it("the memo's trade: 45k short open, buy 50k under net -> all 50k allowed, about 31,000 JPY margin after", async () => {
    const r = await sekisho(...MEMO, "--units", "50000", "--margin-model", "net", "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    for (const k of ["side", "model", "maxUnits", "allowedUnits", "marginBefore", "marginAfter", "usageAfter", "oneSideMaxUnits", "reason"]) {
      expect(out).toHaveProperty(k);
    }
    expect(out.side).toBe("buy");
    expect(out.model).toBe("net");
    expect(out.allowedUnits).toBe(50_000);
    expect(out.maxUnits).toBe(74_193);
    expect(out.marginBefore).toBe(279_000);
    expect(out.marginAfter).toBe(31_000);
    expect(out.usageAfter).toBeCloseTo(0.062, 9);
    expect(out.oneSideMaxUnits).toBe(74_193);
    expect(out.reason).toBe("ok");
  });

  it("without --units, allowedUnits is maxUnits", async () => {
    const out = JSON.parse((await sekisho(...MEMO, "--margin-model", "net", "--json")).stdout);
    expect(out.allowedUnits).toBe(out.maxUnits);
    expect(out.maxUnits).toBe(74_193);
  });

  it("without --margin-model, MARGIN_MODEL=auto sizes with max_side (the conservative model)", async () => {
    const out = JSON.parse((await sekisho(...MEMO, "--units", "50000", "--json")).stdout);
    expect(out.model).toBe("max_side");
    expect(out.marginAfter).toBe(310_000);
    process.env.MARGIN_MODEL = "net";
    expect(JSON.parse((await sekisho(...MEMO, "--units", "50000", "--json")).stdout).model).toBe("net");
  });

  it("--margin-used is taken as the broker's figure: it changes marginBefore and leaves less room", async () => {
    const plain = JSON.parse((await sekisho("size", "--nav", "500000", "--price", "155", "--side", "buy", "--margin-model", "net", "--json")).stdout);
    const used = JSON.parse((await sekisho("size", "--nav", "500000", "--price", "155", "--side", "buy", "--margin-model", "net", "--margin-used", "300000", "--json")).stdout);
    expect(plain.marginBefore).toBe(0);
    expect(used.marginBefore).toBe(300_000);
    expect(used.maxUnits).toBe(18_387); // (414,000 - 300,000) / (155 x 0.04)
    expect(plain.maxUnits).toBe(66_774);
  });

  it("a request above the budget is cut and the reason says why", async () => {
    const out = JSON.parse((await sekisho("size", "--nav", "500000", "--price", "155", "--side", "sell", "--units", "100000", "--margin-model", "net", "--json")).stdout);
    expect(out.allowedUnits).toBe(66_774);
    expect(out.reason).toBe("margin_budget");
  });

  it("the configuration applies: DIR_CAP_RATIO from the environment or ./.env", async () => {
    process.env.DIR_CAP_RATIO = "0.5";
    expect(JSON.parse((await sekisho(...MEMO, "--margin-model", "net", "--json")).stdout).maxUnits).toBe(37_096);
    delete process.env.DIR_CAP_RATIO;
    writeFileSync(join(home, ".env"), "DIR_CAP_RATIO=0.25\n");
    expect(JSON.parse((await sekisho(...MEMO, "--margin-model", "net", "--json")).stdout).maxUnits).toBe(18_548);
  });

  it("MAX_MARGIN_USAGE=0.95 sizes exactly as 0.92", async () => {
    const base = (await sekisho(...MEMO, "--margin-model", "net", "--json")).stdout;
    process.env.MAX_MARGIN_USAGE = "0.95";
    expect((await sekisho(...MEMO, "--margin-model", "net", "--json")).stdout).toBe(base);
  });
});

describe("sekisho size (table)", () => {
  it("without --json prints a readable table of the same figures", async () => {
    const r = await sekisho(...MEMO, "--units", "50000", "--margin-model", "net");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^allowed units\s+50,000$/m);
    expect(r.stdout).toMatch(/^max units\s+74,193$/m);
    expect(r.stdout).toMatch(/^margin after\s+31,000$/m);
    expect(r.stdout).toMatch(/^usage after\s+6\.20%$/m);
    expect(r.stdout).toMatch(/^reason\s+ok \(bound by dir_cap\)$/m);
    expect(() => JSON.parse(r.stdout)).toThrow();
  });
});

describe("sekisho size with bad input", () => {
  it.each([
    ["--nav", "abc"],
    ["--nav", "0"],
    ["--nav", ""],
    ["--price", "-155"],
    ["--margin-rate", "4"],
    ["--margin-rate", "0"],
    ["--short", "lots"],
    ["--units", "-5"],
    ["--margin-used", "NaN"],
    ["--conversion", "0"],
    ["--instrument", "dollar"],
  ])("%s %j exits 2 with one line naming the option", async (flag, value) => {
    const args = ["size", "--nav", "500000", "--price", "155", "--side", "buy"];
    const i = args.indexOf(flag);
    if (i >= 0) args[i + 1] = value;
    else args.push(flag, value);
    const r = await sekisho(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(flag);
  });

  it("a bad configuration variable stops it with exit 2 naming the variable", async () => {
    process.env.MIN_FREE_MARGIN_RATIO = "two";
    const r = await sekisho(...MEMO, "--json");
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringContaining("MIN_FREE_MARGIN_RATIO")]);
  });

  it("a missing --side or an unknown side is bad usage (exit 2)", async () => {
    expect((await sekisho("size", "--nav", "500000", "--price", "155")).code).toBe(2);
    const r = await sekisho("size", "--nav", "500000", "--price", "155", "--side", "hold");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--side");
  });
});

describe("sekisho size: conversion and the loss-cut (issue 11)", () => {
  it("reproduces the live OANDA Japan reading: NAV 38,321.7, long 5,739 / short 1,564 at 157.4 -> marginUsed ~36,129.8 (the larger side), 94% of NAV", async () => {
    const r = await sekisho("size", "--nav", "38321.7", "--price", "157.4", "--long", "5739", "--short", "1564", "--side", "buy", "--units", "0", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.model).toBe("max_side");
    // 5,739 x 157.4 x 4% = 36,132.7: the broker's 36,129.8 at a mid of ~157.387.
    expect(Math.abs(out.marginBefore - 36_129.8) / 36_129.8).toBeLessThan(0.001);
    // marginCloseoutPercent read 0.9428 under the Japan rule.
    expect(out.lossCut.rule).toBe("japan");
    expect(out.lossCut.usageBefore).toBeCloseTo(0.9428, 3);
    // Net 4,175 long: NAV falls 4,175 JPY per yen, margin 229.6 JPY per yen: 2,189 / 3,945 yen = ~55 pips.
    expect(out.lossCut.pipsBefore).toBeGreaterThan(50);
    expect(out.lossCut.pipsBefore).toBeLessThan(60);
  });

  it("refuses a pair not quoted in the home currency without --conversion, and never uses the price as one", async () => {
    const r = await sekisho("size", "--nav", "500000", "--price", "1.08", "--instrument", "EUR_USD", "--side", "buy", "--json");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--conversion is required for EUR_USD on a JPY account: give the EUR->JPY factor/);
    // With OANDA's factor (EUR->JPY ~162): about 63,888 units, not 9,583,333.
    const ok = JSON.parse((await sekisho("size", "--nav", "500000", "--price", "1.08", "--instrument", "EUR_USD", "--conversion", "162", "--side", "buy", "--json")).stdout);
    expect(ok.conversion).toBe(162);
    expect(ok.maxUnits).toBe(Math.floor((500_000 * 0.92 * 0.9) / (162 * 0.04)));
    // A USD account trading USD_JPY: the base is home, c = 1.
    const usd = JSON.parse((await sekisho("size", "--nav", "10000", "--price", "150", "--home", "USD", "--side", "buy", "--json")).stdout);
    expect(usd.conversion).toBe(1);
  });
});
