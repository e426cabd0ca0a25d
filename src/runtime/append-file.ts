// A file written only at its end, one whole record per write: the journal's intent log
// (src/store/intent-log.ts). One write() per record into the page cache survives the process
// being killed once the call returns; `sync` adds an fdatasync per record for power cuts too.
// Through node: built-ins, which Deno, Bun and Node all provide.
import { closeSync, existsSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";

export class AppendFile {
  #fd: number | undefined;
  #size: number;

  private constructor(readonly path: string, fd: number, private readonly sync: boolean) {
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
  }

  /** Open (creating it) for appending; `sync`: each append returns only once it is on disk. */
  static open(path: string, o: { sync?: boolean } = {}): AppendFile {
    return new AppendFile(path, openSync(path, "a", 0o600), o.sync === true);
  }

  /** The whole file's bytes, or undefined when it does not exist. */
  static read(path: string): Uint8Array | undefined {
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  /** Bytes in the file. */
  get size(): number {
    return this.#size;
  }

  /** Append `bytes` at the end (a short write is finished before this returns). */
  append(bytes: Uint8Array): void {
    const fd = this.#open();
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    if (this.sync) fdatasyncSync(fd);
    this.#size += bytes.length;
  }

  /** Empty the file (appends then start again at its beginning). */
  clear(): void {
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
    return this.#fd;
  }
}
