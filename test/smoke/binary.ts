// The compiled binary for the smoke tests: built once (if missing or older than its sources) and
// copied alone into an empty directory, where it runs with a clean environment.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BINARY = join(ROOT, "dist", "sekisho");

/** Newest modification time among the files the binary is made from. */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["src", "build", "build.ts", "package-lock.json"]) if (existsSync(join(ROOT, p))) walk(join(ROOT, p));
  return newest;
}

const fresh = () => existsSync(BINARY) && statSync(BINARY).mtimeMs >= newestSource();
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
/** A build lock older than this is a killed builder's. */
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Make sure dist/sekisho is current; build it with `npm run build`'s script otherwise (build.ts
 * renames the finished file into place, so concurrent test files never copy half a binary). One
 * test file builds while the others wait for it: in a fresh clone four files used to start four
 * builds of the same binary at once (~12 s each, mostly writing 200 MB).
 */
export function ensureBinary(): string {
  if (fresh()) return BINARY;
  const lock = join(ROOT, "dist", ".build-lock");
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock); // atomic: exactly one file gets it
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    if (fresh()) return BINARY;
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    } catch {
      // the builder removed it meanwhile
    }
    sleepSync(200);
  }
  try {
    if (!fresh()) execFileSync(join(ROOT, "node_modules", ".bin", "bun"), ["build.ts"], { cwd: ROOT, stdio: "pipe" });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return BINARY;
}

/** Copy the binary alone into a fresh empty directory; returns that directory. */
export function isolateBinary(binary: string): { dir: string; exe: string } {
  const dir = mkdtempSync(join(tmpdir(), "sekisho-smoke-"));
  const exe = join(dir, "sekisho");
  copyFileSync(binary, exe);
  chmodSync(exe, 0o755);
  return { dir, exe };
}

/**
 * The clean environment: a private HOME and an empty PATH, so no node, deno, bun or
 * node_modules can be found; only what the binary carries can run.
 */
export function cleanEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: dir, PATH: "", TMPDIR: dir, ...extra };
}
