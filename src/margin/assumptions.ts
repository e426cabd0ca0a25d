// What the agent assumes about the broker's margin before it has seen the broker's figures, and
// why: `sekisho check` prints it, AccountState starts from it.
import type { MarginModelSetting } from "../core/types.ts";
import type { CloseoutRuleSetting } from "./closeout-rule.ts";

export interface Assumption<T extends string> {
  assume: T;
  why: string;
}

export function marginModelAssumption(setting: MarginModelSetting): Assumption<"net" | "max_side"> {
  if (setting !== "auto") return { assume: setting, why: `MARGIN_MODEL=${setting}: fixed by the setting, whatever the broker reports` };
  return {
    assume: "max_side",
    why: "MARGIN_MODEL=auto: margin on the larger side, max(L, S) (what OANDA v20 hedging accounts, OANDA Japan's included, charge, and the conservative model), until the broker's marginUsed on positions with both sides open shows netting in 3 snapshots in a row",
  };
}

export function closeoutRuleAssumption(setting: CloseoutRuleSetting): Assumption<"japan" | "half"> {
  if (setting !== "auto") return { assume: setting, why: `CLOSEOUT_RULE=${setting}: fixed by the setting (${setting === "japan" ? "everything is closed when marginUsed / NAV reaches 100%" : "closeout when NAV falls to half the margin used"})` };
  return {
    assume: "japan",
    why: "CLOSEOUT_RULE=auto: OANDA Japan's loss-cut, everything closed when marginUsed / NAV reaches 100% (the stricter rule), until the broker's marginCloseoutPercent reads half of marginUsed / NAV (OANDA's UK/global rule) in 3 snapshots in a row",
  };
}
