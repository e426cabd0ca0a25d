// A file written only at its end, one whole record per write: the journal's intent log
// (src/store/intent-log.ts). One write() per record into the page cache survives the process
// being killed once the call returns; `sync` adds an fdatasync per record for power cuts too.
// Through node: built-ins, which Deno, Bun and Node all provide.
import { closeSync, existsSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export class AppendFile {
  #fd: number | undefined;
  #size: number;
  /** A failed append could not be cut back: the file's end may hold part of a record. */
  damaged = false;

  private constructor(readonly path: string, fd: number, private readonly sync: boolean) {
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
  }

  /**
   * Open (creating it) for appending; `sync`: each append returns only once it is on disk (and a
   * file this creates has its directory entry synced too).
   */
  static open(path: string, o: { sync?: boolean } = {}): AppendFile {
    const created = o.sync === true && !existsSync(path);
    const file = new AppendFile(path, openSync(path, "a", 0o600), o.sync === true);
    if (created) {
      const dir = openSync(dirname(path), "r");
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
    return file;
  }

  /** The whole file's bytes, or undefined when it does not exist. */
  static read(path: string): Uint8Array | undefined {
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  /** Bytes in the file. */
  get size(): number {
    return this.#size;
  }

  /**
   * Append `bytes` at the end (a short write is finished before this returns). When the write
   * fails (a full disk) the file is cut back to where it ended, so no part of a record stays to
   * run into the next one; when even that fails, `damaged` says so and every later call throws.
   */
  append(bytes: Uint8Array): void {
    const fd = this.#open();
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      if (this.sync) fdatasyncSync(fd);
    } catch (e) {
      try {
        ftruncateSync(fd, this.#size);
      } catch {
        this.damaged = true;
      }
      throw e;
    }
    this.#size += bytes.length;
  }

  /** Empty the file (appends then start again at its beginning). Closed: nothing to do. */
  clear(): void {
    if (this.#fd === undefined) return;
    const fd = this.#open();
    ftruncateSync(fd, 0);
    if (this.sync) fdatasyncSync(fd);
    this.#size = 0;
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #open(): number {
    if (this.#fd === undefined) throw new Error(`${this.path} is closed`);
    if (this.damaged) throw new Error(`${this.path}: a failed write left part of a record at its end`);
    return this.#fd;
  }
}
