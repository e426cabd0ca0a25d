// File access through node: built-ins, which Deno, Bun and Node all provide.
import { mkdirSync, mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export function readTextIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

export function readBytes(path: string): Uint8Array {
  return readFileSync(path);
}

/** Create the directory that will hold `filePath` (for DB_PATH and friends). */
export function ensureParentDir(filePath: string): void {
  mkdirSync(dirname(resolve(filePath)), { recursive: true });
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}

/** Make a fresh private directory under `parent` (default: the OS temp dir). */
export function makeTempDir(prefix: string, parent?: string): string {
  return mkdtempSync(join(parent ?? tmpdir(), prefix));
}

/** Remove a directory tree (missing is fine). */
export function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Absolute form of a path, against the working directory. */
export function absolutePath(path: string): string {
  return resolve(path);
}
