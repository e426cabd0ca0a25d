// Memory that start-up leaves behind. Evaluating the program's modules, reading the
// configuration, migrating and reconciling the journal run once; their compiled code (bytecode
// and JIT code of functions that never run again) and the allocator's free lists stay resident
// unless the engine is told to let them go.
//
// Bun: Bun.shrink() asks JavaScriptCore, the next time it is idle, to delete compiled code, run
// a full collection and return free memory to the operating system. Functions that run again
// (the tick path) are compiled again on their next calls, so this is called once, when start-up
// is over, never on a timer. Measured on the binary in paper mode: 86 -> 81 MB resident after
// 20 s, about 15 ms more CPU in those 20 s (docs/build.md, "Start-up and memory").
// Deno and Node have no such call without flags (V8 keeps its own heuristics); nothing is done.
const g = globalThis as { Bun?: { shrink?: () => void } };

/** Once start-up is over: let the engine drop what start-up alone needed. */
export function releaseStartupMemory(): void {
  g.Bun?.shrink?.();
}
