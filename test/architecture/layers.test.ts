// Every folder of src/ imports only downwards (issue 13): the folder graph drawn from the
// relative imports of src/**/*.ts (static, `import type`, `export … from`, dynamic import())
// has no cycle, and each import goes to a lower layer or, sideways, to the same layer.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** Bottom to top; folders on one line are one layer and may import each other without cycles. */
const LAYERS: readonly (readonly string[])[] = [
  ["core", "runtime"],
  ["config", "oanda", "margin", "marketdata", "metrics"],
  ["state", "bus", "store", "ledger", "execution", "reconcile", "alerts", "sim"],
  ["gate"],
  ["workers"],
  ["kernel"],
  ["replay"],
  ["evaluate"],
  ["console"],
  ["http", "replica"],
  ["agent"],
  ["cli"],
  ["main.ts"],
];

const SRC = resolve(__dirname, "../../src");
const layerOf = new Map<string, number>(LAYERS.flatMap((fs, i) => fs.map((f) => [f, i] as const)));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

/** The top-level unit of src/ a path belongs to: its first folder, or the file itself at the root. */
function unitOf(absPath: string): string {
  return relative(SRC, absPath).split(/[\\/]/)[0]!;
}

const SPECIFIER =
  /(?:\bimport|\bexport)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

interface Edge {
  file: string;
  spec: string;
  from: string;
  to: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of tsFiles(SRC)) {
    const text = stripComments(readFileSync(file, "utf8"));
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      if (relative(SRC, target).startsWith("..")) continue;
      const from = unitOf(file);
      const to = unitOf(target);
      if (from !== to) out.push({ file: relative(resolve(SRC, ".."), file), spec, from, to });
    }
  }
  return out;
}

describe("src/ layering", () => {
  const all = edges();

  it("finds the imports it checks", () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all.some((e) => e.from === "cli" && e.to === "core")).toBe(true);
  });

  it("names every top-level folder in a layer", () => {
    const units = new Set(readdirSync(SRC).filter((n) => n.endsWith(".ts") || statSync(join(SRC, n)).isDirectory()));
    expect([...units].filter((u) => !layerOf.has(u))).toEqual([]);
  });

  it("imports only downwards or sideways in the declared layer order", () => {
    const bad = all
      .filter((e) => (layerOf.get(e.to) ?? Infinity) > (layerOf.get(e.from) ?? -Infinity))
      .map((e) => `${e.file} imports "${e.spec}" (${e.from} → ${e.to}, a higher layer)`);
    expect(bad, bad.join("\n")).toEqual([]);
  });

  it("has no cycle in the folder graph", () => {
    const graph = new Map<string, Map<string, Edge>>();
    for (const e of all) {
      if (!graph.has(e.from)) graph.set(e.from, new Map());
      if (!graph.get(e.from)!.has(e.to)) graph.get(e.from)!.set(e.to, e);
    }
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: Edge[] = [];
    const visit = (u: string): void => {
      state.set(u, "open");
      for (const [v, e] of graph.get(u) ?? []) {
        if (state.get(v) === "open") {
          const start = stack.findIndex((s) => s.from === v);
          const loop = [...stack.slice(start === -1 ? stack.length : start), e];
          cycles.push(loop.map((s) => `${s.file} imports "${s.spec}" (${s.from} → ${s.to})`).join("\n  then "));
        } else if (!state.has(v)) {
          stack.push(e);
          visit(v);
          stack.pop();
        }
      }
      state.set(u, "done");
    };
    for (const u of [...graph.keys()].sort()) if (!state.has(u)) visit(u);
    expect(cycles, `folder cycles:\n${cycles.join("\n")}`).toEqual([]);
  });
});
