// `sekisho run` refuses to start on bad usage or configuration with exit 2 and one line, before
// anything trades (Deno, from source, clean environment).
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lines, runSekisho } from "./cli-process.ts";

const CREDS = { OANDA_TOKEN: "oanda-SECRET-abc123", OANDA_ACCOUNT_ID: "101-009-1234567-001" };

describe("sekisho run: refusals", () => {
  it("a scenario naming an unknown instrument: exit 2, one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sekisho-run-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ positions: [{ instrument: "XXX_YYY", long: 1000 }] }));
    const r = await runSekisho(["run", "--sim-scenario", file, "--port", "0"], { env: { DB_PATH: join(dir, "o.db") } });
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/--sim-scenario .*XXX_YYY/);
  });

  it("a missing scenario file: exit 2", async () => {
    const r = await runSekisho(["run", "--sim-scenario", "/nonexistent/s.json", "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sim-scenario \/nonexistent\/s.json: file not found/);
  });

  it("a live account without --live: exit 2, and the token never printed", async () => {
    const r = await runSekisho(["run"], { env: { ...CREDS, OANDA_ENV: "live" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--live/);
    expect(r.stdout + r.stderr).not.toContain("SECRET");
  });

  it("bound off loopback without CONTROL_TOKEN: exit 2 naming CONTROL_TOKEN", async () => {
    const r = await runSekisho(["run", "--host", "0.0.0.0", "--port", "0"]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("CONTROL_TOKEN");
  });
});
