// docs/margin.md's configuration table is what operators read: every variable must be in it, with
// the default the program really uses.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseConfig } from "../../src/config/load.ts";
import { CONFIG_KEYS } from "../../src/config/schema.ts";

const doc = readFileSync(new URL("../../docs/margin.md", import.meta.url), "utf8");
const rows = new Map([...doc.matchAll(/^\| `([A-Z0-9_]+)` \| `([^`]*)` \|/gm)].map((m) => [m[1]!, m[2]!]));
const defaults = parseConfig({}).config as Record<string, unknown>;

/** How the table writes a default. */
function shown(key: string, v: unknown): string {
  if (v === undefined) return "(unset)";
  if (typeof v === "boolean") return v ? "1" : "0";
  if (Array.isArray(v)) return key === "MICRO_STRATEGY_ALLOWLIST" ? "all" : v.join(",");
  return String(v);
}

describe("docs/margin.md configuration table", () => {
  it("lists every variable of the schema", () => {
    expect(CONFIG_KEYS.filter((k) => !rows.has(k))).toEqual([]);
  });

  it("lists only variables that exist", () => {
    expect([...rows.keys()].filter((k) => !(CONFIG_KEYS as string[]).includes(k))).toEqual([]);
  });

  it("states each default as the program applies it", () => {
    const wrong = [...rows].filter(([k, d]) => shown(k, defaults[k]) !== d).map(([k, d]) => `${k}: doc ${d}, real ${shown(k, defaults[k])}`);
    expect(wrong).toEqual([]);
  });
});
