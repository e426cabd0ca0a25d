// Log format: readable lines for a person at a terminal, JSON lines for machines; secrets redacted either way.
import { describe, expect, it } from "vitest";
import { createLogger, resolveLogFormat } from "../../src/core/log.ts";
import { runSekisho } from "../cli/cli-process.ts";

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
});
