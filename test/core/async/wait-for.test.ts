import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { delay } from "../../../src/core/async/delay.ts";
import { waitFor } from "../../../src/core/async/wait-for.ts";

describe("waitFor", () => {
  it("is true at once when the condition already holds", async () => {
    let calls = 0;
    expect(await waitFor(() => (calls++, true), { timeoutMs: 0 })).toBe(true);
    expect(calls).toBe(1);
  });

  it("is false when the condition never holds, after asking more than once", async () => {
    let calls = 0;
    expect(await waitFor(() => (calls++, false), { timeoutMs: 30, intervalMs: 5 })).toBe(false);
    expect(calls).toBeGreaterThan(1);
  });

  it("accepts an async condition", async () => {
    let n = 0;
    expect(await waitFor(async () => ++n >= 3, { timeoutMs: 1000, intervalMs: 1 })).toBe(true);
    expect(n).toBe(3);
  });

  it("passes on an error thrown by the condition", async () => {
    await expect(waitFor(() => { throw new Error("bad"); }, { timeoutMs: 100 })).rejects.toThrow("bad");
  });

  it("is true iff the condition turns true before the timeout", async () => {
    // Orders far apart (turning true well before, or long after, the deadline) so the answer does
    // not hang on timer precision on a loaded machine.
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.integer({ min: 0, max: 10 }), async (inTime, early) => {
        let ready = false;
        const timeoutMs = 60;
        const flip = delay(inTime ? early : timeoutMs + 200).then(() => { ready = true; });
        const got = await waitFor(() => ready, { timeoutMs, intervalMs: 2 });
        expect(got).toBe(inTime);
        if (!inTime) expect(ready).toBe(false); // gave up before the condition turned
        await flip;
      }),
      { numRuns: 8 },
    );
  });
});
