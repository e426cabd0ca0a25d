// Which margin model the broker charges (MARGIN_MODEL=auto, design.md): learnt from the broker's
// per-position marginUsed on hedged positions. Pure: a state and a snapshot in, the next state out.
import type { AccountSnapshot, MarginModel, MarginModelSetting } from "../core/types.ts";

export interface MarginModelEvidence {
  at: number;
  marginUsed: number;
  netModelMargin: number;
  maxSideModelMargin: number;
  verdict: MarginModel;
}

export interface MarginModelState {
  setting: MarginModelSetting;
  inForce: MarginModel;
  evidence?: MarginModelEvidence;
  note: string;
}

/** The model in force and the `net` readings in a row so far. */
export interface MarginModelJudgement {
  model: MarginModelState;
  netStreak: number;
}

/** Snapshots in a row that must show netting before `auto` sizes with `net`. */
export const NET_CONFIRMATIONS = 3;
const FRESH_PRICE_MS = 5_000;

export function initialMarginModel(setting: MarginModelSetting): MarginModelJudgement {
  const model: MarginModelState = setting === "auto"
    ? { setting, inForce: "max_side", note: "auto: sizing with max_side until the broker's marginUsed, with both sides open, shows netting" }
    : { setting, inForce: setting, note: `fixed by MARGIN_MODEL=${setting}` };
  return { model, netStreak: 0 };
}

export interface EvidenceContext {
  /** When the evidence is taken (read only when there is evidence: a context can be made once). */
  now(): number;
  /** base->home at mid, undefined when unknown. */
  conversion(instrument: string): number | undefined;
  marginRate(instrument: string): number;
  /** Age of the mid used for conversion; evidence is judged only on fresh prices. */
  priceAgeMs?(instrument: string): number | undefined;
}

/**
 * `auto`: net only on repeated, clear evidence. Each snapshot, every hedged position (both
 * sides open) whose broker-reported margin is known is judged on its own: the units the broker
 * charges (margin / (c x r)) must sit near |L-S| (net) or near max(L,S) (max_side), the two
 * must differ by at least 20%, and our mid must be fresh. `net` needs NET_CONFIRMATIONS
 * snapshots in a row; one `max_side` reading switches back at once (the conservative side).
 */
export function observeMarginModel(j: MarginModelJudgement, snap: AccountSnapshot, cx: EvidenceContext): MarginModelJudgement {
  if (j.model.setting !== "auto") return j;
  const verdict = judge(snap, cx);
  if (!verdict) return j;
  const netStreak = verdict.verdict === "net" ? j.netStreak + 1 : 0;
  const inForce: MarginModel = verdict.verdict === "max_side" ? "max_side" : netStreak >= NET_CONFIRMATIONS ? "net" : j.model.inForce;
  const model: MarginModelState = {
    setting: "auto",
    inForce,
    evidence: verdict,
    note: inForce === "net"
      ? `auto: the broker charged net margin on hedged positions in ${netStreak} snapshots in a row`
      : verdict.verdict === "net"
        ? `auto: net seen ${netStreak} of ${NET_CONFIRMATIONS} times needed; sizing with max_side meanwhile`
        : "auto: the broker charges the larger side of hedged positions",
  };
  return { model, netStreak };
}

function judge(snap: AccountSnapshot, cx: EvidenceContext): MarginModelEvidence | undefined {
  let verdict: MarginModelEvidence | undefined;
  for (const p of snap.positions) {
    if (!(p.long > 0 && p.short > 0) || p.marginUsed === undefined) continue;
    const age = cx.priceAgeMs?.(p.instrument);
    if (age !== undefined && age > FRESH_PRICE_MS) continue;
    const c = cx.conversion(p.instrument);
    if (c === undefined) continue;
    const r = cx.marginRate(p.instrument);
    const net = Math.abs(p.long - p.short);
    const max = Math.max(p.long, p.short);
    if (max - net < 0.2 * max) continue; // the models barely differ: no information
    const charged = p.marginUsed / (c * r);
    const band = 0.1 * (max - net);
    const v: MarginModel | undefined = charged <= net + band ? "net" : charged >= max - band ? "max_side" : undefined;
    if (!v) continue;
    const e = { at: cx.now(), marginUsed: p.marginUsed, netModelMargin: net * c * r, maxSideModelMargin: max * c * r, verdict: v };
    if (v === "max_side") return e; // any max_side reading wins
    verdict = e;
  }
  return verdict;
}
