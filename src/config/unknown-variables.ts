// Variables that look like sekisho's but are not: `MAX_MARGN_USAGE=0.5` must stop start-up, not
// leave 0.92 in force while the operator believes 0.5 is. A name is "sekisho-looking" when it
// starts with one of sekisho's own prefixes or is within two edits of a known name (compared in
// upper case, so `max_margin_usage` is caught too).
import { nearest } from "./near-names.ts";

/**
 * Prefixes only sekisho uses. Generic ones (HTTP_, MAX_, LOG_, DB_, TURSO_) are left out on
 * purpose: HTTP_PROXY, or a TURSO_API_TOKEN for the turso CLI, are someone else's variables;
 * misspellings there are still caught by the edit distance.
 */
const SEKISHO_PREFIXES = ["OANDA_", "FAST_SCALP_", "MICRO_", "HEDGE_", "GATE_", "SIM_", "REPLICA_", "SEKISHO_", "POCKET_", "MARGIN_", "ALERT_"] as const;

export interface UnknownVariable {
  name: string;
  suggestion?: string;
}

/** The first variable in `names` that looks like a setting but is none, with the nearest known. */
export function findUnknownVariable(names: Iterable<string>, known: readonly string[]): UnknownVariable | undefined {
  const knownSet = new Set(known);
  for (const name of names) {
    if (knownSet.has(name)) continue;
    const upper = name.toUpperCase();
    const suggestion = knownSet.has(upper) ? upper : nearest(upper, known, 2);
    if (suggestion !== undefined || SEKISHO_PREFIXES.some((p) => upper.startsWith(p))) {
      return { name, suggestion: suggestion ?? nearest(upper, known, Math.max(3, Math.floor(upper.length / 3))) };
    }
  }
  return undefined;
}

export function unknownVariableMessage(u: UnknownVariable): string {
  return `unknown variable ${u.name}${u.suggestion ? ` (did you mean ${u.suggestion}?)` : " (not a sekisho setting; see `sekisho check` and the README's configuration table)"}`;
}
