// Memory that start-up leaves behind. Evaluating the program's modules, reading the
// configuration, migrating and reconciling the journal run once; their compiled code (bytecode
// and JIT code of functions that never run again), the allocator's free lists and the pages of
// the executable's code that only start-up ran stay resident unless the process lets them go.
//
// Bun: Bun.shrink() asks JavaScriptCore, the next time it is idle, to delete compiled code, run
// a full collection and return free memory to the operating system. Functions that run again
// (the tick path) are compiled again on their next calls, so this is called once, when start-up
// is over, never on a timer. Measured on the binary in paper mode: 86 -> 81 MB resident after
// 20 s, about 15 ms more CPU in those 20 s (docs/build.md, "Start-up and memory").
//
// Bun on Linux, then: the executable's and the loaded libraries' pages are dropped from this
// process's mappings (madvise MADV_DONTNEED, through bun:ffi), only where that is lossless
// (mapped-files.ts says which); what the steady state runs is mapped again from the page cache on
// its next touch (a minor fault per page, once). Measured on the binary in paper mode: 82 -> 71 MB
// resident after 20 s (Bun's code 36 -> 29 MB, its read-only data 8 -> 4.6 MB, libSQL 5.3 -> 3.9).
// Deno and Node have neither call without flags (V8 keeps its own heuristics); nothing is done.
import { readFileSync, readlinkSync } from "node:fs";
import process from "node:process";
import { droppableMappings, libcPath, parseSmaps } from "./mapped-files.ts";

const g = globalThis as { Bun?: { shrink?: () => void } };

/** What releaseStartupMemory dropped from the mappings (undefined: nothing was tried, or it failed). */
export interface Released {
  mappings: number;
  /** Resident size of those mappings before, MB. */
  residentMb: number;
}

/** Once start-up is over: let the engine and the kernel drop what start-up alone needed. */
export async function releaseStartupMemory(): Promise<Released | undefined> {
  if (!g.Bun) return undefined;
  g.Bun.shrink?.();
  if (process.platform !== "linux") return undefined;
  try {
    return await dropMappedStartupPages();
  } catch {
    return undefined; // best effort: memory, never behaviour
  }
}

const MADV_DONTNEED = 4; // Linux, on every architecture the binary is built for

interface Ffi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): {
    symbols: { madvise(addr: number, length: number, advice: number): number };
    close(): void;
  };
}

async function dropMappedStartupPages(): Promise<Released | undefined> {
  const maps = parseSmaps(readFileSync("/proc/self/smaps", "utf8"));
  const libc = libcPath(maps);
  if (libc === undefined) return undefined;
  const chosen = droppableMappings(maps, readlinkSync("/proc/self/exe"));
  // A specifier in a variable: only Bun has this module, and neither tsc nor Bun's bundler
  // should try to resolve it (Deno and Node never get here).
  const ffiModule = "bun:ffi";
  const ffi = (await import(ffiModule)) as Ffi;
  const lib = ffi.dlopen(libc, { madvise: { args: ["ptr", "u64", "i32"], returns: "i32" } });
  let mappings = 0;
  let kb = 0;
  try {
    for (const m of chosen) {
      if (lib.symbols.madvise(m.start, m.end - m.start, MADV_DONTNEED) !== 0) continue;
      mappings++;
      kb += m.rssKb;
    }
  } finally {
    lib.close();
  }
  return { mappings, residentMb: Math.round(kb / 102.4) / 10 };
}
