// Runs inside the compiled binary only (build/native-bindings.ts puts a call to it where the
// database drivers load their native addon): loads a `.node` addon embedded in the executable.
//
// Why not Bun's own loading of an embedded addon: before every dlopen it reads the whole embedded
// file out of the executable's mapped pages (even when its copy in $TMPDIR is already there), and
// those pages then stay resident: 9.3 MB of the paper agent's 97 MB for the libSQL addon, 84 MB
// for the Turso Sync addon when a replica is configured. Here the addon is embedded as a plain
// file; it is copied out once per content (the file name carries the build-time digest) and later
// starts only check the copy's metadata and dlopen it, so the executable's pages are never read.
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

export interface EmbeddedAddon {
  /** Short name for the copy's file name (libsql, turso-sync). */
  name: string;
  /** Hex digest of the addon's bytes, taken at build time. */
  digest: string;
  /** The addon's size in bytes, taken at build time. */
  size: number;
}

const PAGE = 4096;

/** Where the copy of `addon` lives: `$TMPDIR/.sekisho-<name>-<digest>.node`. */
export function addonCopyPath(addon: EmbeddedAddon, dir = tmpdir()): string {
  return join(dir, `.sekisho-${addon.name}-${addon.digest.slice(0, 16)}.node`);
}

/**
 * A copy that this process may load: a regular file (not a link someone planted), of the
 * build-time size, owned by this user and writable by nobody else. Its name carries the digest
 * and it is written under a temporary name and renamed, so a complete file of the right size is
 * the addon; anyone who could change it in place already runs as this user.
 */
export function isUsableCopy(path: string, size: number): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return false;
  }
  if (!st.isFile() || st.size !== size) return false;
  if ((st.mode & 0o022) !== 0) return false;
  const uid = process.getuid?.();
  return uid === undefined || st.uid === uid;
}

/** Copy the embedded file out (when no usable copy exists) and return the copy's path. */
export function ensureAddonCopy(embeddedPath: string, addon: EmbeddedAddon, dir = tmpdir()): string {
  const path = addonCopyPath(addon, dir);
  if (isUsableCopy(path, addon.size)) return path;
  const bytes = readFileSync(embeddedPath);
  if (bytes.length !== addon.size) throw new Error(`embedded ${addon.name} addon has ${bytes.length} bytes, expected ${addon.size}`);
  // O_EXCL on a name of our own: never write through a file or link that someone else put there.
  const partial = `${path}.${process.pid}.${Date.now()}.partial`;
  const fd = openSync(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    // Page by page: the file system caches a file written in large writes in large folios, and a
    // mapping of such a file faults whole folios in. Measured with the libSQL addon on ext4
    // (Linux 6.18): 8.6 MB of it resident in the paper agent when written at once, 5.1 MB when
    // written in 4 KiB writes (about 2,400 writes, once per addon version).
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, Math.min(PAGE, bytes.length - off));
    if (fstatSync(fd).size !== addon.size) throw new Error(`short write of the ${addon.name} addon to ${partial}`);
  } catch (e) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw e;
  }
  closeSync(fd);
  // A stale or foreign file under the final name is replaced; rename is atomic, so a process
  // starting beside this one loads the old copy or the new one, never half of one.
  renameSync(partial, path);
  return path;
}

/** Load the addon embedded at `embeddedPath` (a `/$bunfs/...` path) and return its exports. */
export function loadEmbeddedAddon(embeddedPath: string, addon: EmbeddedAddon): unknown {
  const module = { exports: {} };
  process.dlopen(module, ensureAddonCopy(embeddedPath, addon));
  return module.exports;
}
