// The gate's recent decisions by signal id, and waiters for one still to come: an operator
// signal posted over HTTP waits here for its decision.
import type { GateDecision } from "../gate/gate.ts";

const DECISION_MEMORY = 2_000;

export class DecisionMemory {
  readonly #decisions = new Map<string, GateDecision>();
  readonly #waiters = new Map<string, Array<(d: GateDecision) => void>>();
  /** Signal ids handed to the bus and not decided yet: a repeat waits for that one, never a second copy. */
  readonly #inFlight = new Set<string>();

  /**
   * The gate's onDecision observer. The first decision for an id is the one kept (a repeated id
   * answers with it); any later one for the same id only wakes whoever still waits.
   */
  record(d: GateDecision): void {
    if (!this.#decisions.has(d.signalId)) {
      this.#decisions.set(d.signalId, d);
      if (this.#decisions.size > DECISION_MEMORY) this.#decisions.delete(this.#decisions.keys().next().value!);
    }
    this.#inFlight.delete(d.signalId);
    for (const w of this.#waiters.get(d.signalId) ?? []) w(d);
    this.#waiters.delete(d.signalId);
  }

  /**
   * Mark an id as handed to the bus; false if a copy of it is already there or at the gate (then
   * wait for that one's decision instead of publishing again).
   */
  claim(signalId: string): boolean {
    if (this.#inFlight.has(signalId)) return false;
    // Bounded: ids whose signal left without a decision (the bus closed at shutdown) go first.
    if (this.#inFlight.size >= DECISION_MEMORY) this.#inFlight.delete(this.#inFlight.values().next().value!);
    this.#inFlight.add(signalId);
    return true;
  }

  /** The bus refused the copy: the id is free again. */
  release(signalId: string): void {
    this.#inFlight.delete(signalId);
  }

  get(signalId: string): GateDecision | undefined {
    return this.#decisions.get(signalId);
  }

  /** Resolves with the decision, or undefined after `timeoutMs`. */
  wait(signalId: string, timeoutMs: number): Promise<GateDecision | undefined> {
    const done = this.#decisions.get(signalId);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(undefined), timeoutMs);
      const list = this.#waiters.get(signalId) ?? [];
      list.push((d) => {
        clearTimeout(t);
        resolve(d);
      });
      this.#waiters.set(signalId, list);
    });
  }
}
