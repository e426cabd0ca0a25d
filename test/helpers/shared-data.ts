// The one way tests reach ../shared/data (real market data and OANDA material). The product
// never reads it. Where ../shared is absent, tests that need it skip and say why.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
/** The project root is two levels up from test/helpers; shared/ sits beside the repo. */
export const SHARED_DIR = resolve(here, "..", "..", "..", "shared");
export const SHARED_DATA = join(SHARED_DIR, "data");

export const hasSharedData = existsSync(SHARED_DATA);
export const SKIP_REASON = `../shared/data not found at ${SHARED_DATA}: tests on real data skipped`;

if (!hasSharedData) console.warn(SKIP_REASON);

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

export function readShared(...parts: string[]): string {
  return readFileSync(sharedPath(...parts), "utf8");
}

export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readShared(...parts)) as T;
}

/** The first entry of a .zip (the LEAN files hold one CSV each), without a zip library. */
export function readSharedZipEntry(...parts: string[]): string {
  const buf = readFileSync(sharedPath(...parts));
  if (buf.readUInt32LE(0) !== 0x04034b50) throw new Error("not a zip file");
  const method = buf.readUInt16LE(8);
  let compressedSize = buf.readUInt32LE(18);
  const nameLen = buf.readUInt16LE(26);
  const extraLen = buf.readUInt16LE(28);
  const start = 30 + nameLen + extraLen;
  if (compressedSize === 0) {
    // Sizes live in the central directory when bit 3 is set; find it from the end record.
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cd = buf.readUInt32LE(eocd + 16);
    compressedSize = buf.readUInt32LE(cd + 20);
  }
  const data = buf.subarray(start, start + compressedSize);
  return (method === 0 ? data : inflateRawSync(data)).toString("utf8");
}
