// Operator controls the gate obeys: the kill switch and pauses. Pure state; the HTTP layer
// journals who changed it and when.
import type { WorkerName } from "../core/types.ts";

export interface ControlState {
  killSwitch: { active: boolean; flatten: boolean; since?: number };
  pausedAll: boolean;
  pausedWorkers: WorkerName[];
}

export class GateControls {
  #kill = { active: false, flatten: false, since: undefined as number | undefined };
  #pausedAll = false;
  readonly #paused = new Set<WorkerName>();

  kill(flatten: boolean, now: number): void {
    this.#kill = { active: true, flatten: this.#kill.flatten || flatten, since: this.#kill.since ?? now };
  }

  pause(worker?: WorkerName): void {
    if (worker) this.#paused.add(worker);
    else this.#pausedAll = true;
  }

  /** Without a worker: lifts the global pause and the kill switch. */
  resume(worker?: WorkerName): void {
    if (worker) {
      this.#paused.delete(worker);
      return;
    }
    this.#pausedAll = false;
    this.#paused.clear();
    this.#kill = { active: false, flatten: false, since: undefined };
  }

  isPaused(worker: WorkerName): boolean {
    // Pausing "all workers" never silences the operator; pausing the operator by name does.
    if (worker === "operator") return this.#paused.has("operator");
    return this.#pausedAll || this.#paused.has(worker);
  }

  state(): ControlState {
    return {
      killSwitch: { active: this.#kill.active, flatten: this.#kill.flatten, ...(this.#kill.since ? { since: this.#kill.since } : {}) },
      pausedAll: this.#pausedAll,
      pausedWorkers: [...this.#paused],
    };
  }

  get killActive(): boolean {
    return this.#kill.active;
  }

  get flattenAndStop(): boolean {
    return this.#kill.active && this.#kill.flatten;
  }
}
