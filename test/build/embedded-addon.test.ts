// The binary's own loading of its embedded database addons (build/embedded-addon.ts): copied out
// once per content, reused after, never loaded through a file that is not this user's own copy.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addonCopyPath, ensureAddonCopy, isUsableCopy, loadEmbeddedAddon } from "../../build/embedded-addon.ts";
import { describeAddon, rewriteLibsql, rewriteSync } from "../../build/native-bindings.ts";

const requireHere = createRequire(import.meta.url);
/** The real libSQL addon of this machine, standing in for the file embedded in the binary. */
const LIBSQL_ADDON = requireHere.resolve(`@libsql/${process.platform}-${process.arch}-gnu/index.node`);
const addon = describeAddon(LIBSQL_ADDON, "libsql");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-addon-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the embedded addon's copy", () => {
  it("is written once, private to this user, byte for byte the addon", () => {
    const path = ensureAddonCopy(LIBSQL_ADDON, addon, dir);
    expect(path).toBe(addonCopyPath(addon, dir));
    expect(path).toContain(addon.digest.slice(0, 16));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path).equals(readFileSync(LIBSQL_ADDON))).toBe(true);
  });

  it("is reused by the next start, not written again", () => {
    const path = ensureAddonCopy(LIBSQL_ADDON, addon, dir);
    const before = statSync(path);
    expect(ensureAddonCopy(LIBSQL_ADDON, addon, dir)).toBe(path);
    const after = statSync(path);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it("is replaced when it is not the addon's size (a truncated or foreign file)", () => {
    const path = addonCopyPath(addon, dir);
    writeFileSync(path, "not an addon", { mode: 0o600 });
    expect(isUsableCopy(path, addon.size)).toBe(false);
    ensureAddonCopy(LIBSQL_ADDON, addon, dir);
    expect(statSync(path).size).toBe(addon.size);
  });

  it("is replaced when others may write to it", () => {
    const path = ensureAddonCopy(LIBSQL_ADDON, addon, dir);
    chmodSync(path, 0o666);
    expect(isUsableCopy(path, addon.size)).toBe(false);
    ensureAddonCopy(LIBSQL_ADDON, addon, dir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("never follows a link planted under its name; the link's target is left alone", () => {
    const planted = join(dir, "planted.node");
    writeFileSync(planted, readFileSync(LIBSQL_ADDON), { mode: 0o600 });
    const path = addonCopyPath(addon, dir);
    symlinkSync(planted, path);
    expect(isUsableCopy(path, addon.size)).toBe(false);
    ensureAddonCopy(LIBSQL_ADDON, addon, dir);
    expect(statSync(path).ino).not.toBe(statSync(planted).ino);
    expect(readFileSync(planted).equals(readFileSync(LIBSQL_ADDON))).toBe(true);
  });

  it("refuses an embedded file that is not the size the build recorded", () => {
    expect(() => ensureAddonCopy(LIBSQL_ADDON, { ...addon, size: addon.size + 1 }, dir)).toThrow(/expected/);
  });

  it("loads as the libSQL addon", () => {
    const prev = process.env.TMPDIR;
    process.env.TMPDIR = dir; // os.tmpdir() reads it on every call
    try {
      const exports = loadEmbeddedAddon(LIBSQL_ADDON, addon) as Record<string, unknown>;
      expect(typeof exports.databaseOpen).toBe("function");
    } finally {
      if (prev === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = prev;
    }
  });
});

describe("the build's rewrite of the drivers' loaders", () => {
  it("loads libSQL's addon through the copy, with the digest and size of the file embedded", () => {
    const out = rewriteLibsql(readFileSync(requireHere.resolve("libsql"), "utf8"), LIBSQL_ADDON);
    expect(out).toContain(`loadEmbeddedAddon(require(${JSON.stringify(LIBSQL_ADDON)}), ${JSON.stringify(addon)})`);
    expect(out).not.toContain("requireNative();");
  });

  it("loads the Turso Sync addon the same way, and a stub when the target has none", () => {
    const source = readFileSync(join(dirname(requireHere.resolve("@tursodatabase/sync")), "..", "index.js"), "utf8");
    expect(rewriteSync(source, LIBSQL_ADDON, "bun-linux-x64")).toContain('"name":"turso-sync"');
    expect(rewriteSync(source, null, "bun-linux-x64")).not.toContain("loadEmbeddedAddon");
  });
});
