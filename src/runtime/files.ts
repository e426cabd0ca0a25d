// File access through node: built-ins, which Deno, Bun and Node all provide.
import { mkdirSync, mkdtempSync, readFileSync, existsSync, rmSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";

export function readTextIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

/** Create the directory that will hold `filePath` (for DB_PATH and friends). */
export function ensureParentDir(filePath: string): void {
  mkdirSync(dirname(resolve(filePath)), { recursive: true });
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}

export function fileSize(path: string): number {
  return statSync(path).size;
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

/**
 * The per-user cache directory for `app`: $XDG_CACHE_HOME/app, else ~/.cache/app
 * (%LOCALAPPDATA%\app on Windows). Not created here.
 */
export function cacheDirectory(app: string): string {
  const env = process.env;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, app);
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, app);
  return join(homedir(), ".cache", app);
}

/** Delete `path` and every sibling file whose name starts with its name (path-wal, path-info...). */
export function removeFileFamily(path: string): void {
  const full = resolve(path);
  const dir = dirname(full);
  const base = basename(full);
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (f === base || f.startsWith(`${base}-`) || f.startsWith(`${base}.`)) rmSync(join(dir, f), { force: true });
}

/** Write a text file (UTF-8), creating its directory; replaces the file if it exists. */
export function writeText(path: string, text: string): void {
  ensureParentDir(path);
  writeFileSync(path, text);
}
