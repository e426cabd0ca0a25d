// Bun build plugin: make the native database drivers embeddable in a compiled binary.
//
// Bun's compiler embeds a `.node` addon only when it is required by a static path. Both drivers we
// use pick their addon at run time instead, so without this plugin the binary would look for
// node_modules next to itself and fail:
//   - `libsql` (under @libsql/client, and the journal's checkpointer through `libsql/promise`):
//     `require(\`@libsql/${target}\`)` after sniffing the libc, in index.js and promise.js alike;
//   - `@tursodatabase/sync`: a napi-rs loader (index.js) trying a dozen package names.
// The plugin rewrites exactly those call sites so that the addon for the chosen target is
// embedded as a plain file (`require("<absolute path>.node")` then yields its path inside the
// binary) and loaded by build/embedded-addon.ts, which copies it out once instead of letting Bun
// read the whole addon out of the executable at every start (why: see that file).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EmbeddedAddon } from "./embedded-addon.ts";
import type { NativeTarget } from "./targets.ts";

const LOADER = fileURLToPath(new URL("./embedded-addon.ts", import.meta.url));

export interface NativeFiles {
  libsql: string;
  /** null: upstream ships no sync binding for this target; a stub is embedded instead. */
  sync: string | null;
}

/**
 * Locate the `.node` files for `target` under `nodeModules`; throws naming the missing packages and
 * the install command (versions taken from the host packages in `projectModules`).
 */
export function locateNativeFiles(nodeModules: string, target: NativeTarget, projectModules = nodeModules): NativeFiles {
  const libsql = join(nodeModules, "@libsql", target.libsql, "index.node");
  const sync = target.sync === null
    ? null
    : join(nodeModules, "@tursodatabase", `sync-${target.sync}`, `sync.${target.sync}.node`);
  const missing = [
    existsSync(libsql) ? null : `@libsql/${target.libsql}`,
    sync === null || existsSync(sync) ? null : `@tursodatabase/sync-${target.sync}`,
  ].filter((x): x is string => x !== null);
  if (missing.length > 0) {
    throw new Error(
      `native packages for ${target.bun} are not installed: ${missing.join(", ")}\n` +
        `  install them with: npm install --no-save --force ${missing.map((m) => `${m}@${versionHint(projectModules, m)}`).join(" ")}\n` +
        `  (or into another directory and pass --native-modules <dir>/node_modules)`,
    );
  }
  return { libsql, sync };
}

/** The version the platform package must have: the one its host package pins. */
function versionHint(nodeModules: string, pkg: string): string {
  const host = pkg.startsWith("@libsql/") ? "libsql" : "@tursodatabase/sync";
  try {
    return JSON.parse(readFileSync(join(nodeModules, host, "package.json"), "utf8")).version;
  } catch {
    return "latest";
  }
}

const LIBSQL_CALL = /\}\s*=\s*requireNative\(\);/;
const SYNC_TAIL = /const \{[^}]*\} = nativeBinding[\s\S]*$/;

/** What the binary needs to know of an addon file to load its copy: name, digest, size. */
export function describeAddon(file: string, name: string): EmbeddedAddon {
  const bytes = readFileSync(file);
  return { name, digest: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
}

/** The expression that loads `addon` (a `.node` file embedded as a file) in the binary. */
export function loadExpression(addon: string, name: string): string {
  return `require(${JSON.stringify(LOADER)}).loadEmbeddedAddon(require(${JSON.stringify(addon)}), ${JSON.stringify(describeAddon(addon, name))})`;
}

/** Rewrite libsql's index.js or promise.js: the run-time choice becomes a static require of `addon`. */
export function rewriteLibsql(source: string, addon: string): string {
  if (!LIBSQL_CALL.test(source)) throw new Error("libsql/index.js or promise.js changed shape: `} = requireNative();` not found");
  return source.replace(LIBSQL_CALL, () => `} = ${loadExpression(addon, "libsql")};`);
}

/** Rewrite @tursodatabase/sync's napi loader: keep its export list, load `addon` statically. */
export function rewriteSync(source: string, addon: string | null, targetName: string): string {
  const tail = source.match(SYNC_TAIL)?.[0];
  if (tail === undefined) throw new Error("@tursodatabase/sync/index.js changed shape: `= nativeBinding` exports not found");
  const load = addon !== null
    ? `const nativeBinding = ${loadExpression(addon, "turso-sync")};`
    : // No upstream binding: every export is a class that refuses to be constructed, so the rest of
      // the binary (libSQL journal, HTTP, trading) works and only Turso sync reports why it cannot.
      `const unavailable = () => { throw new Error(${JSON.stringify(`this ${targetName} binary was built without the Turso sync addon (@tursodatabase/sync); replication is unavailable`)}); };
const nativeBinding = new Proxy({}, { get: () => class { constructor() { unavailable(); } } });`;
  return `${load}\n${tail}`;
}

// The slice of Bun's plugin API used here (the repo's tsc has no Bun types).
interface OnLoadArgs { path: string }
interface PluginBuild {
  onLoad(opts: { filter: RegExp }, cb: (args: OnLoadArgs) => { contents: string | Uint8Array; loader: "js" | "file" }): void;
}
export interface BunPlugin { name: string; setup(build: PluginBuild): void }

export function nativeBindingsPlugin(files: NativeFiles, targetName: string): BunPlugin {
  return {
    name: "sekisho-native-bindings",
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]libsql[\\/](index|promise)\.js$/ }, (args) => ({
        contents: rewriteLibsql(readFileSync(args.path, "utf8"), files.libsql),
        loader: "js",
      }));
      build.onLoad({ filter: /[\\/]node_modules[\\/]@tursodatabase[\\/]sync[\\/]index\.js$/ }, (args) => ({
        contents: rewriteSync(readFileSync(args.path, "utf8"), files.sync, targetName),
        loader: "js",
      }));
      // The addons themselves: embedded as files (their path in the binary), not as native
      // modules, so that Bun does not read them out of the executable at every start.
      const addons = new Set([files.libsql, files.sync].filter((f): f is string => f !== null).map((f) => realpathSync(f)));
      build.onLoad({ filter: /\.node$/ }, (args) => {
        if (!addons.has(realpathSync(args.path))) throw new Error(`unexpected native addon ${basename(args.path)} in the bundle (build/native-bindings.ts embeds only the database drivers' addons)`);
        return { contents: readFileSync(args.path), loader: "file" };
      });
    },
  };
}
