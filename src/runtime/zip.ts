// Read the first entry of a .zip file (the LEAN tick files hold one CSV each) with node:zlib,
// which Deno, Bun and Node all provide. Enough for single-file archives; not a zip library.
import { readFileSync } from "node:fs";
import process from "node:process";

export function readZipFirstEntryText(path: string): string {
  const buf = readFileSync(path);
  if (buf.length < 30 || buf.readUInt32LE(0) !== 0x04034b50) throw new Error(`${path}: not a zip file`);
  const flags = buf.readUInt16LE(6);
  const method = buf.readUInt16LE(8);
  let compressedSize = buf.readUInt32LE(18);
  const nameLen = buf.readUInt16LE(26);
  const extraLen = buf.readUInt16LE(28);
  const start = 30 + nameLen + extraLen;
  if ((flags & 0x08) !== 0 || compressedSize === 0) {
    // Sizes live in the central directory when bit 3 is set; find it from the end record.
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error(`${path}: zip end record not found`);
    const cd = buf.readUInt32LE(eocd + 16);
    compressedSize = buf.readUInt32LE(cd + 20);
  }
  const data = buf.subarray(start, start + compressedSize);
  if (method !== 0 && method !== 8) throw new Error(`${path}: unsupported zip compression method ${method}`);
  // node:zlib on first use, not at start: only replay reads zips, and loading zlib costs every
  // start of the agent ~90 ms and several MB of resident memory in the Bun binary.
  const zlib = process.getBuiltinModule("node:zlib") as typeof import("node:zlib");
  return (method === 0 ? data : zlib.inflateRawSync(data)).toString("utf8");
}
