// The broker's loss-cut rule, as the figure it reports (marginCloseoutPercent) and the point
// where it closes everything (that figure reaching 1).
// - `japan` (OANDA Japan): every position is closed when marginUsed / NAV reaches 100%, and the
//   account's marginCloseoutPercent reads marginUsed / NAV (live readings 0.90854 =
//   53,043.4 / 58,383.1 and 0.9428 = 36,129.8 / 38,321.7).
// - `half` (OANDA's UK/global rule): closeout when NAV falls to half the margin used, so the
//   figure reads marginUsed / (2 x NAV), as in OANDA's recorded global summaries.
export const CLOSEOUT_RULES = ["japan", "half"] as const;
export type CloseoutRule = (typeof CLOSEOUT_RULES)[number];

export function closeoutPercent(rule: CloseoutRule, marginUsed: number, nav: number): number {
  if (!(nav > 0)) return marginUsed > 0 ? 1 : 0;
  return rule === "japan" ? marginUsed / nav : marginUsed / (2 * nav);
}
