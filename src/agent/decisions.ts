// The gate's recent decisions by signal id, and waiters for one still to come: an operator
// signal posted over HTTP waits here for its decision.
import type { GateDecision } from "../gate/gate.ts";

const DECISION_MEMORY = 2_000;

export class DecisionMemory {
  readonly #decisions = new Map<string, GateDecision>();
  readonly #waiters = new Map<string, Array<(d: GateDecision) => void>>();

  /** The gate's onDecision observer. */
  record(d: GateDecision): void {
    this.#decisions.set(d.signalId, d);
    if (this.#decisions.size > DECISION_MEMORY) this.#decisions.delete(this.#decisions.keys().next().value!);
    for (const w of this.#waiters.get(d.signalId) ?? []) w(d);
    this.#waiters.delete(d.signalId);
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
