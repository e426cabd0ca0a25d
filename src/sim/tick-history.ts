// The prices the simulator has published, per instrument, for candles. Bounded: the oldest
// ticks are dropped in blocks (cheap) once an instrument holds more than MAX_TICKS.
export interface TickRecord {
  time: number;
  bid: number;
  ask: number;
}

const MAX_TICKS = 200_000;
const DROP_BLOCK = 20_000;

export class TickHistory {
  readonly #ticks = new Map<string, TickRecord[]>();

  record(instrument: string, time: number, bid: number, ask: number): void {
    let list = this.#ticks.get(instrument);
    if (!list) this.#ticks.set(instrument, (list = []));
    // Keep time order even if a caller supplies an older timestamp.
    const last = list[list.length - 1];
    list.push({ time: last && time < last.time ? last.time : time, bid, ask });
    if (list.length > MAX_TICKS) list.splice(0, DROP_BLOCK);
  }

  ticks(instrument: string): readonly TickRecord[] {
    return this.#ticks.get(instrument) ?? [];
  }
}
