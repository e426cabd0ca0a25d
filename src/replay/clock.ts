// The data's clock. Replay sets it to each tick's timestamp before anything looks at the time,
// so cooldowns, TTLs, price ages, candle closes and the balancer interval follow the recording,
// never the machine running it.
import type { Clock, EpochMs } from "../core/types.ts";

export class ReplayClock implements Clock {
  #now: EpochMs;

  constructor(start: EpochMs) {
    this.#now = start;
  }

  now(): EpochMs {
    return this.#now;
  }

  /** Move to `t`. Time never runs backwards: an earlier `t` leaves the clock where it is. */
  advanceTo(t: EpochMs): void {
    if (t > this.#now) this.#now = t;
  }
}
