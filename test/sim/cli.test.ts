import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import { waitUntil } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "sekisho-sim-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(stream: NodeJS.WriteStream) {
  let out = "";
  const spy = vi.spyOn(stream, "write").mockImplementation((chunk: any) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out, restore: () => spy.mockRestore() };
}

describe("sekisho sim", () => {
  it("a bad scenario file is one clear line and exit 2", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ account: { marginModel: "gross" } }));
    const err = capture(process.stderr);
    const code = await runCli(["sim", "--port", "0", "--scenario", bad]).finally(err.restore);
    expect(code).toBe(2);
    expect(err.text().trim().split("\n")).toHaveLength(1);
    expect(err.text()).toContain("account.marginModel");
    const notJson = join(dir, "broken.json");
    writeFileSync(notJson, "{ nope");
    const err2 = capture(process.stderr);
    expect(await runCli(["sim", "--scenario", notJson]).finally(err2.restore)).toBe(2);
    expect(err2.text()).toContain("not valid JSON");
  });

  it("serves the scenario, prints URL, account and token, and stops on SIGINT", async () => {
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ token: "t-123", account: { id: "101-001-7777777-001", balance: 1_000_000 }, ticks: { source: "fixed" } }));
    const out = capture(process.stdout);
    const running = runCli(["sim", "--port", "0", "--scenario", good]);
    try {
      await waitUntil(() => out.text().includes("OANDA_TOKEN"), { timeoutMs: 10_000, intervalMs: 10, message: () => `sim printed no OANDA_TOKEN line: ${out.text()}` });
    } finally {
      out.restore();
    }
    const url = /OANDA_REST_URL=(\S+)/.exec(out.text())![1]!;
    expect(out.text()).toContain("OANDA_ACCOUNT_ID=101-001-7777777-001");
    expect(out.text()).toContain("OANDA_TOKEN=t-123");
    const r = await fetch(`${url}/v3/accounts/101-001-7777777-001/summary`, { headers: { Authorization: "Bearer t-123" } });
    expect((await r.json()).account.balance).toBe("1000000.0000");
    process.emit("SIGINT");
    expect(await running).toBe(0);
  });
});
