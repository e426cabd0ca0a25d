// Tests wait for a condition and must fail, with a message saying what never came, when it does
// not come in time; core's waitFor only answers whether it came (issue 13). Built on it so the
// polling itself is written once.
import { waitFor } from "../../src/core/async/wait-for.ts";

export { delay } from "../../src/core/async/delay.ts";

export interface UntilOptions {
  timeoutMs: number;
  intervalMs: number;
  /** The error's message on timeout; a function is asked then (to show the state reached). */
  message: string | (() => string);
}

/** Poll `cond` until it holds; throw `message` when `timeoutMs` passes first. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, o: UntilOptions): Promise<void> {
  if (await waitFor(cond, o)) return;
  throw new Error(typeof o.message === "function" ? o.message() : o.message);
}
