// Lockfile entries for other platforms' optional native packages that this machine's registry
// cannot serve, so that `npm ci` accepts the lockfile on a fresh clone.
//
// Why: `npm ci` builds the tree from package.json and refuses a lockfile that lacks any optional
// dependency it can see (even one for another OS). `npm install --package-lock-only` adds every
// entry the registry serves (the @deno/* binaries); packages the registry answers 404 for (some
// @tursodatabase/* platform binaries) stay missing. This adds those as optional entries with the
// version the parent pins and the os/cpu/libc their names state, without an integrity hash (we
// cannot compute one for a tarball we cannot download). npm never fetches an entry whose os/cpu
// do not match the machine; on a machine they match, npm fetches it from that machine's registry.
//
// Run after `npm install --package-lock-only` whenever a dependency with native packages changes:
//   node build/lock-other-platforms.mjs          (writes package-lock.json, lists what it added)
import fs from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const packages = lock.packages;

/** Platform fields from a napi-rs style package name (`...-darwin-arm64`, `...-linux-x64-gnu`). */
function platformOf(name) {
  const os = /-darwin-/.test(name) ? "darwin" : /-win32-/.test(name) ? "win32" : /-linux-/.test(name) ? "linux" : undefined;
  const cpu = /-(arm64|aarch64)(-|$)/.test(name) ? "arm64" : /-x64(-|$)/.test(name) ? "x64" : undefined;
  const libc = /-gnu$/.test(name) ? "glibc" : /-musl$/.test(name) ? "musl" : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const pkg of Object.values(packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (packages[key]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os || !cpu) {
      console.error(`skipped ${dep}: its name does not say which platform it is for; add it by hand`);
      continue;
    }
    packages[key] = { version, cpu: [cpu], ...(pkg.dev ? { dev: true } : {}), ...(libc ? { libc: [libc] } : {}), optional: true, os: [os] };
    console.log(`added ${dep}@${version} (${os} ${cpu}${libc ? ` ${libc}` : ""}, no integrity: not served by this registry)`);
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} entr${added === 1 ? "y" : "ies"} added`);
