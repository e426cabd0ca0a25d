// Log format: readable lines for a person at a terminal, JSON lines for machines; secrets redacted either way.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger, resolveLogFormat } from "../../src/core/log.ts";
import { runSekisho } from "../cli/cli-process.ts";

const ROOT = join(import.meta.dirname, "..", "..");

describe("log format", () => {
  it("auto is pretty on a terminal and JSON otherwise; json and pretty force it", () => {
    expect(resolveLogFormat("auto", true)).toBe("pretty");
    expect(resolveLogFormat("auto", false)).toBe("json");
    expect(resolveLogFormat("json", true)).toBe("json");
    expect(resolveLogFormat("pretty", false)).toBe("pretty");
  });

  it("a JSON line redacts a token passed in a whole object", () => {
    const lines: string[] = [];
    createLogger("info", { write: (l: string) => void lines.push(l) }).info({ config: { OANDA_TOKEN: "SECRET-1" }, token: "SECRET-2" }, "x");
    expect(lines.join("")).not.toContain("SECRET");
    expect(JSON.parse(lines[0]!).config.OANDA_TOKEN).toBe("[redacted]");
  });

  it("LOG_FORMAT is a validated setting", async () => {
    expect((await runSekisho(["check"], { env: { LOG_FORMAT: "pretty" } })).code).toBe(0);
    const bad = await runSekisho(["check"], { env: { LOG_FORMAT: "colour" } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected auto, json or pretty");
  });

  it("pretty: one readable line per entry (pino-pretty, loaded for it), the token redacted", async () => {
    const run = await runFixture("log-pretty.ts");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: agent started \{"event":"ready","config":\{"OANDA_TOKEN":"\[redacted\]"\}\}\n$/);
  });

  it("asynchronous writes lose nothing at exit: every line logged before an immediate exit(1) arrives, the token redacted", async () => {
    const run = await runFixture("log-then-exit.ts");
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(5_001);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ event: "fatal", msg: "could not start", config: { OANDA_TOKEN: "[redacted]" } });
    expect(run.stdout).not.toContain("SECRET");
  });
});

/** A fixture under test/core/fixtures run on Deno (the agent's runtime), stdout captured. */
function runFixture(name: string): Promise<{ code: number; stdout: string }> {
  return new Promise((done, fail) => {
    execFile(join(ROOT, "node_modules", ".bin", "deno"), ["run", "-A", `--config=${join(ROOT, "deno.json")}`, join(ROOT, "test", "core", "fixtures", name)],
      { env: { NO_COLOR: "1", PATH: process.env.PATH ?? "" }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
        if (err && typeof err.code !== "number") return fail(err);
        done({ code: err ? (err.code as number) : 0, stdout });
      });
  });
}
