// The account's closeout report, remembered with the exact inputs it was computed from. It is
// asked several times between two changes of its inputs (after each account read by the
// closeout guard, then by the hedge balancer, the gate and /positions: in a replay that is every
// tick), and it is a pure function of them: the same inputs give the same report, so the last one
// is handed out again. Every input is compared by value (Object.is: NaN matches itself, -0 is
// not 0), none is assumed unchanged, so a stale report cannot come back.
import type { AccountSnapshot, InstrumentSpec, MarginModel } from "../core/types.ts";
import { closeoutReport, type CloseoutReport, type CloseoutReportInput } from "../margin/closeout-report.ts";
import type { CloseoutRule } from "../margin/closeout.ts";

/** Where the report's per-position inputs come from (the account state's instruments, mids and conversions). */
export interface CloseoutReportReads {
  spec(instrument: string): InstrumentSpec;
  mid(instrument: string): number | undefined;
  conversion(instrument: string): number | undefined;
}

type PositionInput = CloseoutReportInput["positions"][number];

export class CloseoutReportCache {
  #last: { input: CloseoutReportInput; report: CloseoutReport } | undefined;

  /** closeoutReport() of the snapshot's figures and positions under `model` and `rule`, at the current reads. */
  report(snap: AccountSnapshot, model: MarginModel, rule: CloseoutRule, reads: CloseoutReportReads): CloseoutReport {
    const last = this.#last;
    if (last && sameInputs(last.input, snap, model, rule, reads)) return last.report;
    const positions: PositionInput[] = [];
    for (const p of snap.positions) positions.push({ spec: reads.spec(p.instrument), long: p.long, short: p.short, mid: reads.mid(p.instrument), conversion: reads.conversion(p.instrument) });
    const input: CloseoutReportInput = { nav: snap.nav, marginUsed: snap.marginUsed, currency: snap.currency, model, rule, positions };
    const report = closeoutReport(input);
    this.#last = { input, report };
    return report;
  }
}

/** Every value closeoutReport reads, compared with what the last report was made from. */
function sameInputs(i: CloseoutReportInput, snap: AccountSnapshot, model: MarginModel, rule: CloseoutRule, reads: CloseoutReportReads): boolean {
  if (!Object.is(i.nav, snap.nav) || !Object.is(i.marginUsed, snap.marginUsed) || i.currency !== snap.currency || i.model !== model || i.rule !== rule) return false;
  const ps = snap.positions;
  if (ps.length !== i.positions.length) return false;
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k]!;
    const q = i.positions[k]!;
    // Read in the order the report's own inputs are read (an unknown instrument throws here as it would there).
    const spec = reads.spec(p.instrument);
    if (!Object.is(p.long, q.long) || !Object.is(p.short, q.short) || !sameSpec(spec, q.spec)) return false;
    if (!Object.is(reads.mid(p.instrument), q.mid) || !Object.is(reads.conversion(p.instrument), q.conversion)) return false;
  }
  return true;
}

/** The spec fields a closeout distance reads (a table may replace or guess a spec object). */
function sameSpec(a: InstrumentSpec, b: InstrumentSpec): boolean {
  return a === b || (a.name === b.name && a.base === b.base && a.quote === b.quote && Object.is(a.marginRate, b.marginRate) && Object.is(a.pipLocation, b.pipLocation));
}
