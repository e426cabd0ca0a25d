// Mistakes a new user makes, tried as they would make them (Deno, from source, clean environment):
// each one exits 2 with one line saying what is wrong, and nothing starts.
import { describe, expect, it } from "vitest";
import { lines, runSekisho } from "./cli-process.ts";

const CREDS = { OANDA_TOKEN: "oanda-SECRET-abc123", OANDA_ACCOUNT_ID: "101-009-1234567-001" };

describe("mistakes stop with exit 2 and one line", () => {
  it("sekisho versoin: unknown command 'versoin' (did you mean version?)", async () => {
    const r = await runSekisho(["versoin"]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(["sekisho: unknown command 'versoin' (did you mean version?)"]);
    expect(r.stdout).toBe("");
  });

  it("MAX_MARGN_USAGE=0.5 sekisho check: unknown variable ... (did you mean MAX_MARGIN_USAGE?)", async () => {
    const r = await runSekisho(["check"], { env: { MAX_MARGN_USAGE: "0.5" } });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(["sekisho: unknown variable MAX_MARGN_USAGE (did you mean MAX_MARGIN_USAGE?)"]);
    expect(r.stdout).toBe("");
  });

  it("a misspelt POCKET_RULES field names the field", async () => {
    const r = await runSekisho(["check"], { env: { POCKET_RULES: '{"scalp_fast":{"cooldown":10}}' } });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['sekisho: invalid POCKET_RULES: unknown field "cooldown" in pocket scalp_fast (fields: cooldownSec, maxOpenTrades, maxUnitsPerSide)']);
  });

  it("OANDA_REST_URL on OANDA's live host with the default OANDA_ENV is refused, naming the URL", async () => {
    const r = await runSekisho(["check"], { env: { ...CREDS, OANDA_REST_URL: "https://api-fxtrade.oanda.com" } });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^sekisho: OANDA_REST_URL=https:\/\/api-fxtrade\.oanda\.com is not a practice host .*set OANDA_ENV=live and start with --live/);
    expect(r.stdout + r.stderr).not.toContain("SECRET");
  });

  it("run --paper --live is a usage error", async () => {
    const r = await runSekisho(["run", "--paper", "--live", "--port", "0"]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(["sekisho: --paper and --live cannot be used together: choose one mode"]);
  });

  it("a CONTROL_TOKEN cut by # in .env is refused, saying so", async () => {
    const r = await runSekisho(["check"], { dotenv: "CONTROL_TOKEN=abcd#efghijklmnopqrstuvwxyz\n" });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("an unquoted # starts a comment");
    expect(r.stderr).not.toContain("efgh");
  });

  it("a bad option prints the error and one hint line, not a page of help", async () => {
    const r = await runSekisho(["size", "--nav"]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(["error: option '--nav <jpy>' argument missing", "(add --help for usage)"]);
  });
});

describe("sekisho check says where orders go", () => {
  it("paper: the built-in simulator", async () => {
    const r = await runSekisho(["check"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ordersGoTo).toMatch(/built-in simulator/);
  });

  it("practice: OANDA's practice host", async () => {
    const r = await runSekisho(["check"], { env: CREDS });
    expect(JSON.parse(r.stdout).ordersGoTo).toBe("https://api-fxpractice.oanda.com and https://stream-fxpractice.oanda.com (OANDA practice)");
    expect(r.stderr).toMatch(/^orders go to https:\/\/api-fxpractice\.oanda\.com/);
  });

  it("live: says LIVE and that run needs --live", async () => {
    const r = await runSekisho(["check"], { env: { ...CREDS, OANDA_ENV: "live" } });
    expect(JSON.parse(r.stdout).ordersGoTo).toMatch(/api-fxtrade\.oanda\.com .*LIVE/);
    expect(r.stderr).toMatch(/LIVE: `run` needs --live/);
  });
});
