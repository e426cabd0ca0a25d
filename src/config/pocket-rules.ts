// POCKET_RULES is strict: `{"scalp_fast":{"cooldown":10}}` (a misspelt field) or an unknown
// pocket is an error naming it, never an override that silently does nothing.
import { z } from "zod";

const OVERRIDABLE_POCKETS = ["macro", "micro", "scalp", "scalp_fast"] as const;
const POCKET_RULE_FIELDS = ["cooldownSec", "maxOpenTrades", "maxUnitsPerSide"] as const;

const ruleSchema = z.strictObject({
  cooldownSec: z.number().min(0).max(86_400).optional(),
  maxOpenTrades: z.number().int().min(0).max(100_000).optional(),
  maxUnitsPerSide: z.number().min(0).optional(),
});

export type PocketRuleOverrides = Partial<Record<(typeof OVERRIDABLE_POCKETS)[number], z.infer<typeof ruleSchema>>>;

/** Parse and check POCKET_RULES; throws an Error whose message is one line naming the problem. */
export function parsePocketRules(json: string): PocketRuleOverrides {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`expected a JSON object such as {"scalp_fast":{"cooldownSec":10}}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`expected a JSON object such as {"scalp_fast":{"cooldownSec":10}}`);
  const out: PocketRuleOverrides = {};
  for (const [pocket, rule] of Object.entries(value)) {
    if (!(OVERRIDABLE_POCKETS as readonly string[]).includes(pocket)) {
      throw new Error(`unknown pocket "${pocket}" (pockets: ${OVERRIDABLE_POCKETS.join(", ")}; manual is never traded)`);
    }
    if (typeof rule !== "object" || rule === null || Array.isArray(rule)) throw new Error(`pocket ${pocket}: expected an object of ${POCKET_RULE_FIELDS.join(", ")}`);
    for (const field of Object.keys(rule)) {
      if (!(POCKET_RULE_FIELDS as readonly string[]).includes(field)) {
        throw new Error(`unknown field "${field}" in pocket ${pocket} (fields: ${POCKET_RULE_FIELDS.join(", ")})`);
      }
    }
    const r = ruleSchema.safeParse(rule);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`pocket ${pocket} field ${String(issue.path[0])}: ${issue.message}`);
    }
    out[pocket as keyof PocketRuleOverrides] = r.data;
  }
  return out;
}
