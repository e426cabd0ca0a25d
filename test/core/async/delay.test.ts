import { describe, expect, it } from "vitest";
import { delay } from "../../../src/core/async/delay.ts";

describe("delay", () => {
  it("resolves after the time, shorter waits first", async () => {
    const order: number[] = [];
    await Promise.all([30, 0, 10].map((ms) => delay(ms).then(() => order.push(ms))));
    expect(order).toEqual([0, 10, 30]);
  });

  it("treats a negative time as 0", async () => {
    await expect(delay(-5)).resolves.toBeUndefined();
  });

  it("rejects with the signal's reason when aborted while waiting", async () => {
    const ctl = new AbortController();
    const p = delay(60_000, ctl.signal);
    ctl.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
  });

  it("rejects at once when the signal has already aborted", async () => {
    const ctl = new AbortController();
    ctl.abort(new Error("gone"));
    await expect(delay(0, ctl.signal)).rejects.toThrow("gone");
  });

  it("resolves, and forgets the signal, when it was not aborted in time", async () => {
    const ctl = new AbortController();
    await delay(1, ctl.signal);
    ctl.abort(new Error("late"));
    await delay(1);
  });
});
