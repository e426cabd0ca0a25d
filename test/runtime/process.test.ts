// runChild, the way a replay sweep runs its children: output collected to the end, and a child
// stopped when the sweep gives up (another child failed), so none runs on for nothing.
import { describe, expect, it } from "vitest";
import { runChild } from "../../src/runtime/process.ts";

const node = process.execPath;

describe("runChild", () => {
  it("collects a child's output and exit code", async () => {
    const r = await runChild(node, ["-e", "process.stdout.write('a\\nb\\n'); process.stderr.write('c'); process.exit(3)"], { PATH: process.env.PATH });
    expect(r).toEqual({ code: 3, stdout: "a\nb\n", stderr: "c" });
  });

  it("stops the child when its signal is aborted, and when it was aborted before the start", async () => {
    const stop = new AbortController();
    const running = runChild(node, ["-e", "process.stdout.write('up\\n'); setTimeout(() => process.stdout.write('finished'), 30_000)"], { PATH: process.env.PATH }, stop.signal);
    setTimeout(() => stop.abort(), 300);
    const r = await running;
    expect(r.stdout).not.toContain("finished");
    expect(r.code).not.toBe(0);
    const late = await runChild(node, ["-e", "setTimeout(() => process.stdout.write('finished'), 30_000)"], { PATH: process.env.PATH }, stop.signal);
    expect(late.stdout).toBe("");
  }, 20_000);
});
