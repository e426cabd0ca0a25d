// The loss-cut distance of every open instrument and of the account, from the broker's account
// figures and the agent's prices. Pure: /positions, the closeout guard and the hedge balancer
// all read the same numbers.
import type { InstrumentSpec, MarginModel } from "../core/types.ts";
import { accountCloseout, type AccountCloseout, closeoutDistance, type CloseoutDistance, type CloseoutRule, homeSide } from "./closeout.ts";

export interface CloseoutReportInput {
  nav: number;
  marginUsed: number;
  /** The account's home currency. */
  currency: string;
  model: MarginModel;
  rule: CloseoutRule;
  positions: Array<{ spec: InstrumentSpec; long: number; short: number; mid: number | undefined; conversion: number | undefined }>;
}

export interface CloseoutReport {
  account: AccountCloseout;
  instruments: Array<{ instrument: string; distance: CloseoutDistance }>;
}

export function closeoutReport(i: CloseoutReportInput): CloseoutReport {
  const acct = { nav: i.nav, marginUsed: i.marginUsed, model: i.model, rule: i.rule };
  const instruments: CloseoutReport["instruments"] = [];
  for (const p of i.positions) {
    if (!(p.long > 0 || p.short > 0)) continue;
    const distance: CloseoutDistance = p.mid !== undefined && p.conversion !== undefined
      ? closeoutDistance({
        long: p.long, short: p.short, price: p.mid, conversion: p.conversion, marginRate: p.spec.marginRate,
        pipSize: 10 ** p.spec.pipLocation, homeSide: homeSide(p.spec.base, p.spec.quote, i.currency),
      }, acct)
      : { pips: null, direction: null, price: null };
    instruments.push({ instrument: p.spec.name, distance });
  }
  return { account: accountCloseout(acct, instruments), instruments };
}
