// Per-pocket limits. Defaults are deliberately tight for the fast pockets; POCKET_RULES (JSON)
// overrides any field, e.g. {"scalp_fast":{"cooldownSec":10,"maxOpenTrades":5}}.
import type { Pocket } from "../core/types.ts";
import { parsePocketRules } from "../config/pocket-rules.ts";

export interface PocketRule {
  /** No new entry in this pocket and instrument for this long after one of its fills. */
  cooldownSec: number;
  /** Open trades the pocket may hold across instruments. */
  maxOpenTrades: number;
  /** Units the pocket may hold on each side of one instrument. */
  maxUnitsPerSide: number;
}

const DEFAULT_POCKET_RULES: Record<Pocket, PocketRule> = {
  macro: { cooldownSec: 0, maxOpenTrades: 50, maxUnitsPerSide: Number.POSITIVE_INFINITY },
  micro: { cooldownSec: 60, maxOpenTrades: 6, maxUnitsPerSide: 60_000 },
  scalp: { cooldownSec: 30, maxOpenTrades: 4, maxUnitsPerSide: 40_000 },
  scalp_fast: { cooldownSec: 15, maxOpenTrades: 3, maxUnitsPerSide: 30_000 },
  // Trades sekisho did not open: counted in margin, never traded by sekisho.
  manual: { cooldownSec: 0, maxOpenTrades: 0, maxUnitsPerSide: 0 },
};

export function pocketRules(json: string | undefined): Record<Pocket, PocketRule> {
  const rules = structuredClone(DEFAULT_POCKET_RULES);
  if (!json) return rules;
  // Checked at start-up (unknown pockets and fields are errors there), so this never throws on a loaded config.
  for (const [pocket, o] of Object.entries(parsePocketRules(json))) Object.assign(rules[pocket as Pocket], o);
  return rules;
}
