// File access through node: built-ins, which Deno, Bun and Node all provide.
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";

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
