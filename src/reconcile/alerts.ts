// What the ledger has alerted on, for /health: counts since start and the latest alert. A late
// fill, an unattributed fill or a margin closeout keeps the `ledger` check degraded for an hour
// (an operator must look: the broker did something sekisho's journal did not expect); a manual
// fill is counted and logged as a warning but does not degrade health (people may trade the
// account; their trades count in margin and are never touched). An operator who has looked
// acknowledges (POST /control/ack-alerts): the alerts up to then stop degrading health, and the
// next one degrades it again. The counts stay; they say what happened since start.
import type { LedgerAlert } from "./attribution.ts";
import type { LedgerState } from "./ingest.ts";

const ALERT_DEGRADES_MS = 60 * 60 * 1000;
/** A ledger that could not be read from the broker for this long degrades health too. */
const CATCH_UP_STALE_MS = 5 * 60 * 1000;

export class LedgerAlerts {
  lateFills = 0;
  unattributedFills = 0;
  manualFills = 0;
  #last: { kind: string; at: number; message: string } | undefined;
  #lastSerious: number | undefined;
  #ack: { at: number; by: string } | undefined;

  record(a: LedgerAlert, now: number): void {
    if (a.kind === "late_fill") this.lateFills++;
    else if (a.kind === "unattributed") this.unattributedFills++;
    else if (a.kind === "manual") this.manualFills++;
    this.#last = { kind: a.kind, at: now, message: a.message };
    if (a.kind !== "manual") this.#lastSerious = now;
  }

  /** The operator has seen every alert so far: they no longer degrade health. */
  acknowledge(now: number, by: string): void {
    this.#ack = { at: now, by };
  }

  /** Whether an alert not yet acknowledged degrades health now. */
  #unacknowledged(now: number): boolean {
    if (this.#lastSerious === undefined || now - this.#lastSerious >= ALERT_DEGRADES_MS) return false;
    return this.#ack === undefined || this.#lastSerious > this.#ack.at;
  }

  check(state: LedgerState, now: number) {
    const serious = this.#unacknowledged(now);
    const behind = state.lastError !== null && (state.lastCatchUpAt === null || now - state.lastCatchUpAt > CATCH_UP_STALE_MS);
    return {
      status: serious || behind ? ("degraded" as const) : ("ok" as const),
      cursor: state.cursor, lastError: state.lastError,
      lateFills: this.lateFills, unattributedFills: this.unattributedFills, manualFills: this.manualFills,
      lastAlert: this.#last ? { kind: this.#last.kind, at: new Date(this.#last.at).toISOString(), message: this.#last.message } : null,
      acknowledged: this.#ack ? { at: new Date(this.#ack.at).toISOString(), by: this.#ack.by } : null,
    };
  }
}
