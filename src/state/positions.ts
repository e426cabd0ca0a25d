// Units per instrument and side: the broker's snapshot (the broker wins every disagreement),
// with fills applied between refreshes, each fill once.
import type { AccountSnapshot, Side } from "../core/types.ts";
import type { Exposure } from "./account-types.ts";

function txnNumber(id: string | undefined): number {
  const n = Number(id);
  return Number.isFinite(n) ? n : 0;
}

export class Positions {
  readonly #byInstrument = new Map<string, Exposure>();
  /** Highest transaction id applied optimistically; older snapshots would undo it. */
  #appliedTxn = 0;
  /** lastTransactionID of the snapshot in force: fills up to it are already in the positions. */
  #snapshotTxn = 0;
  /** Fill transactions applied since that snapshot (a fill must never count twice). */
  readonly #fillsApplied = new Set<string>();

  /** True when the snapshot predates a fill already applied (a refresh in flight while it arrived). */
  isOlderThanApplied(snap: AccountSnapshot): boolean {
    return txnNumber(snap.lastTransactionID) < this.#appliedTxn;
  }

  /** Take the broker's positions; returns where the local view disagreed. */
  takeSnapshot(snap: AccountSnapshot): string[] {
    const disagreements: string[] = [];
    for (const p of snap.positions) {
      const local = this.#byInstrument.get(p.instrument);
      if (local && (Math.abs(local.long - p.long) > 1e-9 || Math.abs(local.short - p.short) > 1e-9)) {
        disagreements.push(`${p.instrument}: local long ${local.long} short ${local.short}, broker long ${p.long} short ${p.short}`);
      }
    }
    // Clearing allocates a new table (even when empty): most refreshes list the instruments already
    // held, in the same order, and only their units are replaced (the same entries in the same order).
    if (!this.#sameInstruments(snap.positions)) this.#byInstrument.clear();
    for (const p of snap.positions) this.#byInstrument.set(p.instrument, { long: p.long, short: p.short });
    this.#appliedTxn = Math.max(this.#appliedTxn, txnNumber(snap.lastTransactionID));
    this.#snapshotTxn = txnNumber(snap.lastTransactionID);
    for (const id of this.#fillsApplied) if (txnNumber(id) <= this.#snapshotTxn) this.#fillsApplied.delete(id);
    return disagreements;
  }

  /** Whether the table holds exactly these instruments, in this order. */
  #sameInstruments(positions: AccountSnapshot["positions"]): boolean {
    if (positions.length !== this.#byInstrument.size) return false;
    let k = 0;
    for (const name of this.#byInstrument.keys()) if (positions[k++]!.instrument !== name) return false;
    return true;
  }

  /**
   * Apply a fill between refreshes. `reduce` fills take units off the opposite side, as do all
   * fills on a netting account. A fill the snapshot already contains, or one applied before, is
   * ignored (returns false): settling the same order twice must not move the position twice.
   */
  applyFill(instrument: string, side: Side, units: number, transactionId: string, reduce: boolean, hedging: boolean): boolean {
    const n = txnNumber(transactionId);
    if ((n > 0 && n <= this.#snapshotTxn) || this.#fillsApplied.has(transactionId)) return false;
    this.#fillsApplied.add(transactionId);
    const p = this.#byInstrument.get(instrument) ?? { long: 0, short: 0 };
    if (reduce || !hedging) {
      // Reduce the opposite side first (REDUCE_ONLY, or a netting account's default).
      const opp = side === "buy" ? "short" : "long";
      const cut = Math.min(p[opp], units);
      p[opp] -= cut;
      const rest = units - cut;
      if (!reduce && rest > 0) p[side === "buy" ? "long" : "short"] += rest;
    } else {
      p[side === "buy" ? "long" : "short"] += units;
    }
    this.#byInstrument.set(instrument, p);
    this.#appliedTxn = Math.max(this.#appliedTxn, n);
    return true;
  }

  get(instrument: string): Exposure {
    const p = this.#byInstrument.get(instrument);
    return p ? { ...p } : { long: 0, short: 0 };
  }

  instruments(): string[] {
    return [...this.#byInstrument.keys()];
  }

  open(): string[] {
    const out: string[] = [];
    for (const [k, p] of this.#byInstrument) if (p.long > 0 || p.short > 0) out.push(k);
    return out;
  }
}
