// One way to wait (issue 13): the timers, the back-offs, the simulator's latency and the tests all
// slept with their own `new Promise((r) => setTimeout(r, ms))`; the OANDA client's retries also
// need the wait to end when their request is aborted, so the signal is here once too.

/**
 * Resolves after `ms` milliseconds (negative counts as 0). With `signal`, rejects with its reason
 * (or an "aborted" error) as soon as it aborts, and at once when it already has; the timer is
 * cleared, so an aborted wait keeps nothing alive.
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
