// The one way tests reach ../shared/data (real market data and OANDA material). The product
// never reads it. Where ../shared is absent, tests that need it skip and say why.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readZipFirstEntryText } from "../../src/runtime/zip.ts";

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

/** The CSV inside one of the zipped LEAN files (read with the product's own zip reader). */
export function readSharedZipEntry(...parts: string[]): string {
  return readZipFirstEntryText(sharedPath(...parts));
}
