// Drives prices into the engine from the scenario's tick source with timers: fixed (nothing
// moves), synthetic (seeded), or csv replay. `speed` compresses time: at 2 the same simulated
// sequence arrives twice as fast. stop() clears every timer.
import type { Logger } from "../core/log.ts";
import type { SimEngine } from "./engine.ts";
import { hashSeed } from "./prng.ts";
import { ScenarioError, type Scenario } from "./scenario.ts";
import { SyntheticTicks } from "./synthetic.ts";
import { instrumentFromPath, readTickFile, type CsvTick } from "./tick-csv.ts";

/** Replayed gaps longer than this (in data time) are shortened to it, so weekends do not stall a replay. */
export const MAX_REPLAY_GAP_MS = 10_000;

export interface TickDriver {
  stop(): void;
  /** For csv: ticks left to replay. */
  readonly remaining: number;
}

export function startTicks(engine: SimEngine, t: Scenario["ticks"], log?: Logger): TickDriver {
  if (t.source === "fixed") return { stop() {}, remaining: 0 };
  if (t.source === "synthetic") return startSynthetic(engine, t);
  return startCsv(engine, t, log);
}

function startSynthetic(engine: SimEngine, t: Scenario["ticks"]): TickDriver {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let stopped = false;
  for (const name of engine.instrumentNames()) {
    const p = engine.price(name)!;
    const gen = new SyntheticTicks(engine.spec(name), p, hashSeed(t.seed, name), t.ratePerSec);
    const schedule = () => {
      if (stopped) return;
      const next = gen.next();
      timers.set(name, setTimeout(() => {
        if (stopped) return;
        const cur = engine.price(name)!;
        engine.applyTick({ instrument: name, bid: next.bid, ask: next.ask, tradeable: cur.tradeable });
        schedule();
      }, next.dtMs / t.speed));
    };
    schedule();
  }
  return {
    stop() {
      stopped = true;
      for (const h of timers.values()) clearTimeout(h);
      timers.clear();
    },
    remaining: 0,
  };
}

function startCsv(engine: SimEngine, t: Scenario["ticks"], log?: Logger): TickDriver {
  const path = t.path!;
  let parsed: ReturnType<typeof readTickFile>;
  try {
    parsed = readTickFile(path);
  } catch (e) {
    throw new ScenarioError(`ticks.path ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { ticks, skipped } = parsed;
  const instrument = t.instrument ?? [instrumentFromPath(path)].find((i) => i && engine.hasInstrument(i)) ?? engine.instrumentNames()[0]!;
  if (!engine.hasInstrument(instrument)) throw new ScenarioError(`ticks.instrument ${instrument} is not in the scenario's instruments`);
  if (ticks.length === 0) throw new ScenarioError(`ticks.path ${path}: no ticks found (expected timestamp,bid,ask or ms,bid,ask rows)`);
  log?.info({ path, instrument, ticks: ticks.length, skipped }, "sim csv replay");
  let i = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const publish = (x: CsvTick) => engine.applyTick({ instrument, bid: x.bid, ask: x.ask });
  const next = () => {
    if (stopped || i >= ticks.length) return;
    const cur = ticks[i]!;
    publish(cur);
    i += 1;
    const nxt = ticks[i];
    if (!nxt) {
      log?.info({ instrument }, "sim csv replay finished; prices stay at the last tick");
      return;
    }
    const gap = Math.min(MAX_REPLAY_GAP_MS, Math.max(0, nxt.time - cur.time));
    timer = setTimeout(next, gap / t.speed);
  };
  next();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    get remaining() {
      return ticks.length - i;
    },
  };
}
