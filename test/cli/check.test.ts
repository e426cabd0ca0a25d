// `sekisho check` as a user runs it (Deno, from source, clean environment): exit codes, the one
// error line, the mode, and secrets that never reach the output.
import { describe, expect, it } from "vitest";
import { lines, runSekisho } from "./cli-process.ts";

const CREDS = { OANDA_TOKEN: "oanda-SECRET-abc123", OANDA_ACCOUNT_ID: "101-009-1234567-001" };

describe("sekisho check", () => {
  it("a bad value exits 2 with exactly one stderr line naming the variable and its range, and prints nothing else", async () => {
    const r = await runSekisho(["check"], { env: { HEDGE_TRIGGER_MARGIN_USAGE: "abc" } });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("HEDGE_TRIGGER_MARGIN_USAGE");
    expect(r.stderr).toContain("[0, 1]");
    expect(r.stdout).toBe("");
  });

  it("without credentials it would run in paper mode, with the memo's defaults", async () => {
    const r = await runSekisho(["check"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.mode).toBe("paper");
    expect(out.config.MAX_MARGIN_USAGE).toBe(0.92);
    expect(out.config.HTTP_HOST).toBe("127.0.0.1");
    expect(out.config.OANDA_TOKEN).toBeUndefined();
  });

  it("with OANDA_TOKEN and OANDA_ACCOUNT_ID it would trade practice, and the token is redacted", async () => {
    const r = await runSekisho(["check"], { env: CREDS });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mode).toBe("practice");
    expect(out.config.OANDA_TOKEN).toBe("[redacted]");
    expect(out.config.OANDA_ACCOUNT_ID).toBe(CREDS.OANDA_ACCOUNT_ID);
    expect(r.stdout + r.stderr).not.toContain("SECRET");
  });

  it("with OANDA_ENV=live it reports live and that the --live flag is still required", async () => {
    const r = await runSekisho(["check"], { env: { ...CREDS, OANDA_ENV: "live" } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mode).toBe("live");
    expect(out.liveFlagRequired).toBe(true);
    expect(r.stdout).not.toContain("SECRET");
    const flagged = JSON.parse((await runSekisho(["check", "--live"], { env: { ...CREDS, OANDA_ENV: "live" } })).stdout);
    expect(flagged.liveFlagRequired).toBe(false);
  });

  it("a token without its account id exits 2 naming OANDA_ACCOUNT_ID, and never shows the token", async () => {
    const r = await runSekisho(["check"], { env: { OANDA_TOKEN: CREDS.OANDA_TOKEN } });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("OANDA_ACCOUNT_ID");
    expect(r.stdout + r.stderr).not.toContain("SECRET");
  });

  it("reads ./.env, and the environment wins over it", async () => {
    const r = await runSekisho(["check"], { dotenv: "DIR_CAP_RATIO=0.5\nMIN_FREE_MARGIN_RATIO=0.005\n", env: { MIN_FREE_MARGIN_RATIO: "0.02" } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.config.DIR_CAP_RATIO).toBe(0.5);
    expect(out.config.MIN_FREE_MARGIN_RATIO).toBe(0.02);
  });

  it("a bad value in ./.env exits 2 naming the variable", async () => {
    const r = await runSekisho(["check"], { dotenv: "MARGIN_MODEL=gross\n" });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringContaining("MARGIN_MODEL")]);
  });

  it("MAX_MARGIN_USAGE=0.95 is accepted with a notice that 0.92 takes effect", async () => {
    const r = await runSekisho(["check"], { env: { MAX_MARGIN_USAGE: "0.95" } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.notices).toEqual(["MAX_MARGIN_USAGE=0.95 is clamped to 0.92"]);
    expect(out.config.MAX_MARGIN_USAGE_EFFECTIVE).toBe(0.92);
  });
});

describe("sekisho check: the margin model and loss-cut rule it will assume", () => {
  it("by default: max_side and OANDA Japan's loss-cut, each with why; fixed settings say so", async () => {
    const r = await runSekisho(["check"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.assumes.marginModel.assume).toBe("max_side");
    expect(out.assumes.marginModel.why).toMatch(/MARGIN_MODEL=auto: margin on the larger side/);
    expect(out.assumes.closeoutRule.assume).toBe("japan");
    expect(out.assumes.closeoutRule.why).toMatch(/marginUsed \/ NAV reaches 100%.*marginCloseoutPercent/);
    expect(out.assumes.closeoutGuard).toEqual({ belowPips: 55, atUsage: 0.95, untilPips: 90 });
    expect(r.stderr).toMatch(/assumes max_side margin and the japan loss-cut/);
    const fixed = JSON.parse((await runSekisho(["check"], { env: { MARGIN_MODEL: "net", CLOSEOUT_RULE: "half" } })).stdout);
    expect(fixed.assumes.marginModel).toMatchObject({ assume: "net", why: expect.stringMatching(/^MARGIN_MODEL=net: fixed/) });
    expect(fixed.assumes.closeoutRule).toMatchObject({ assume: "half", why: expect.stringMatching(/^CLOSEOUT_RULE=half: fixed .*half the margin used/) });
  });
});

describe("sekisho check: entry workers that ship switched off say why", () => {
  it("by default both are off, each with its variable and the scorecard's reason; the variable turns one on", async () => {
    const r = await runSekisho(["check"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.entryWorkers).toEqual([
      { worker: "fast_scalp", enabled: false, variable: "FAST_SCALP_ENABLED", scorecard: expect.stringMatching(/lost after costs out of sample/) },
      { worker: "micro_multistrat", enabled: false, variable: "MICRO_MULTISTRAT_ENABLED", scorecard: expect.stringMatching(/beat its costs out of sample/) },
    ]);
    expect(r.stderr).toMatch(/fast_scalp is off \(FAST_SCALP_ENABLED=1 turns it on\)/);
    const on = await runSekisho(["check"], { env: { FAST_SCALP_ENABLED: "1" } });
    expect(JSON.parse(on.stdout).entryWorkers[0]).toMatchObject({ worker: "fast_scalp", enabled: true });
    expect(on.stderr).toMatch(/fast_scalp is ON \(FAST_SCALP_ENABLED=1\); the scorecard says: on OANDA's own EUR\/USD ticks it lost/);
  }, 120_000);
});
