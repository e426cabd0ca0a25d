// `npm start` runs the agent from source under Deno. The same source must start there, answer
// /health and stop cleanly on SIGTERM.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Agent, startAgent, waitForHealthOk } from "./agent-process.ts";
import { ROOT } from "./binary.ts";

describe("the agent under Deno, from source", () => {
  // A scratch working directory: no .env from the repo, the journal lands here.
  const dir = mkdtempSync(join(tmpdir(), "sekisho-deno-"));
  let agent: Agent | undefined;

  afterAll(async () => {
    await agent?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers /health with status ok and exits 0 on SIGTERM", async () => {
    // Only what Deno needs (HOME for its cache) plus the agent's settings: nothing from the test
    // runner's environment (OANDA_* in particular) leaks in, so this is paper mode.
    const env: Record<string, string> = { HOME: process.env["HOME"] ?? dir, PATH: "", HTTP_PORT: "0", DB_PATH: join(dir, "data", "orders.db"), NO_COLOR: "1" };
    if (process.env["DENO_DIR"]) env["DENO_DIR"] = process.env["DENO_DIR"];
    agent = await startAgent(
      join(ROOT, "node_modules", ".bin", "deno"),
      ["run", "-A", "--config", join(ROOT, "deno.json"), join(ROOT, "src", "main.ts"), "run"],
      { cwd: dir, env, timeoutMs: 90_000 },
    );
    const health = await waitForHealthOk(agent.url, 30_000);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", mode: "paper" });
    const code = await agent.stop("SIGTERM");
    expect(code, agent.output()).toBe(0);
    agent = undefined;
  }, 150_000);
});
