// Bun build plugin: make the native database drivers embeddable in a compiled binary.
//
// Bun's compiler embeds a `.node` addon only when it is required by a static path. Both drivers we
// use pick their addon at run time instead, so without this plugin the binary would look for
// node_modules next to itself and fail:
//   - `libsql` (under @libsql/client, and the journal's checkpointer through `libsql/promise`):
//     `require(\`@libsql/${target}\`)` after sniffing the libc, in index.js and promise.js alike;
//   - `@tursodatabase/sync`: a napi-rs loader (index.js) trying a dozen package names.
// The plugin rewrites exactly those call sites into `require("<absolute path>.node")` for the
// chosen target, so the addon for that target is embedded and loaded from the binary itself.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { NativeTarget } from "./targets.ts";

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

/** Rewrite libsql's index.js or promise.js: the run-time choice becomes a static require of `addon`. */
export function rewriteLibsql(source: string, addon: string): string {
  if (!LIBSQL_CALL.test(source)) throw new Error("libsql/index.js or promise.js changed shape: `} = requireNative();` not found");
  return source.replace(LIBSQL_CALL, `} = require(${JSON.stringify(addon)});`);
}

/** Rewrite @tursodatabase/sync's napi loader: keep its export list, load `addon` statically. */
export function rewriteSync(source: string, addon: string | null, targetName: string): string {
  const tail = source.match(SYNC_TAIL)?.[0];
  if (tail === undefined) throw new Error("@tursodatabase/sync/index.js changed shape: `= nativeBinding` exports not found");
  const load = addon !== null
    ? `const nativeBinding = require(${JSON.stringify(addon)});`
    : // No upstream binding: every export is a class that refuses to be constructed, so the rest of
      // the binary (libSQL journal, HTTP, trading) works and only Turso sync reports why it cannot.
      `const unavailable = () => { throw new Error(${JSON.stringify(`this ${targetName} binary was built without the Turso sync addon (@tursodatabase/sync); replication is unavailable`)}); };
const nativeBinding = new Proxy({}, { get: () => class { constructor() { unavailable(); } } });`;
  return `${load}\n${tail}`;
}

// The slice of Bun's plugin API used here (the repo's tsc has no Bun types).
interface OnLoadArgs { path: string }
interface PluginBuild {
  onLoad(opts: { filter: RegExp }, cb: (args: OnLoadArgs) => { contents: string; loader: "js" }): void;
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
    },
  };
}
