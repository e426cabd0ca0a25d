// The binary's lean prom-client: what sekisho uses still works, what was cut says so when used.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { rewritePromClientIndex } from "../../build/lean-modules.ts";

const requireHere = createRequire(import.meta.url);
const indexPath = requireHere.resolve("prom-client");

/** Evaluate the rewritten index.js as CommonJS from prom-client's own directory. */
function leanPromClient(): Record<string, any> {
  const source = rewritePromClientIndex(readFileSync(indexPath, "utf8"));
  const module = { exports: {} as Record<string, any> };
  const req = createRequire(join(dirname(indexPath), "index.js"));
  new Function("exports", "require", "module", source)(module.exports, req, module);
  return module.exports;
}

describe("prom-client without Pushgateway, default metrics and cluster", () => {
  it("keeps Registry, Counter, Gauge and Histogram working", async () => {
    const p = leanPromClient();
    const registry = new p.Registry();
    new p.Counter({ name: "c_total", help: "c", registers: [registry] }).inc(2);
    new p.Gauge({ name: "g", help: "g", registers: [registry] }).set(7);
    new p.Histogram({ name: "h_seconds", help: "h", buckets: [0.001], registers: [registry] }).observe(0.0005);
    const text = await registry.metrics();
    expect(text).toContain("c_total 2");
    expect(text).toContain("g 7");
    expect(text).toContain('h_seconds_bucket{le="0.001"} 1');
  });

  it("names what was cut when it is used", () => {
    const p = leanPromClient();
    expect(() => new p.Pushgateway("http://127.0.0.1:1")).toThrow(/pushgateway is not in the sekisho binary/);
    expect(() => p.collectDefaultMetrics()).toThrow(/defaultMetrics is not in the sekisho binary/);
  });

  it("fails the build when prom-client's index changes shape", () => {
    expect(() => rewritePromClientIndex("exports.Registry = require('./lib/registry');")).toThrow(/changed shape/);
  });
});
