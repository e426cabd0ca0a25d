// Parts of dependencies that sekisho never uses but whose modules would still be evaluated at
// every start of the binary, cut out of the bundle. Each costs start-up time and resident memory
// in Bun, mostly through the Node built-ins it loads (node:http, node:https, node:zlib, cluster):
//   prom-client's index requires its Pushgateway (http, https, zlib), its default-metrics
//   collectors (perf_hooks, the process gauges; not enabled: see src/metrics/registry.ts) and its
//   cluster aggregator. sekisho uses only Registry, Counter, Gauge and Histogram.
// A cut export is a function or class that throws when used, naming what was left out; if a
// dependency changes shape the build fails here instead of silently keeping the module.
import { readFileSync } from "node:fs";
import type { BunPlugin } from "./native-bindings.ts";

const PROM_CLIENT_CUTS = ["./lib/pushgateway", "./lib/defaultMetrics", "./lib/cluster"] as const;

/** prom-client's index.js with the requires above replaced by throwing stand-ins. */
export function rewritePromClientIndex(source: string): string {
  let out = source;
  for (const path of PROM_CLIENT_CUTS) {
    const req = `require('${path}')`;
    if (!out.includes(req)) throw new Error(`prom-client/index.js changed shape: ${req} not found`);
    const stub = `(function notInBinary() { throw new Error(${JSON.stringify(`prom-client's ${path.slice(6)} is not in the sekisho binary (build/lean-modules.ts)`)}); })`;
    out = out.split(req).join(stub);
  }
  return out;
}

export function leanModulesPlugin(): BunPlugin {
  return {
    name: "sekisho-lean-modules",
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]prom-client[\\/]index\.js$/ }, (args) => ({
        contents: rewritePromClientIndex(readFileSync(args.path, "utf8")),
        loader: "js",
      }));
    },
  };
}
