// Where start-up time goes: named steps stamped with the time since the process began
// (performance.now(), whose origin is the process start on Deno, Node and Bun, so the first step
// includes loading and evaluating the program's modules). `sekisho run` logs the steps once the
// API answers (event "startup"); the bench reads them from there.
const steps: Array<[string, number]> = [];

/** Record that a start-up step has just finished. */
export function startupMark(step: string): void {
  steps.push([step, performance.now()]);
}

/** Each recorded step and when it finished, ms since the process began (0.1 ms). */
export function startupSteps(): Record<string, number> {
  return Object.fromEntries(steps.map(([name, at]) => [name, Math.round(at * 10) / 10]));
}
