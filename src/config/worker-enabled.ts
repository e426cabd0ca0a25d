// Whether the settings switch a worker on: decided here once. The kernel's dispatcher runs only
// enabled workers, and each worker asks the same question of itself as a second line (a worker
// driven directly, by a test or a future node, still honours its variable).
import type { WorkerName } from "../core/types.ts";
import type { Config } from "./schema.ts";

export type WorkerSwitches = Pick<Config, "FAST_SCALP_ENABLED" | "MICRO_MULTISTRAT_ENABLED" | "HEDGE_BALANCER_ENABLED">;

/** The operator is always on; the three workers by their *_ENABLED variables. */
export function workerEnabled(config: WorkerSwitches, w: WorkerName): boolean {
  return w === "fast_scalp" ? config.FAST_SCALP_ENABLED : w === "micro_multistrat" ? config.MICRO_MULTISTRAT_ENABLED : w === "hedge_balancer" ? config.HEDGE_BALANCER_ENABLED : true;
}
