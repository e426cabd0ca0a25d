// Drives prices into the engine from the scenario's tick source with timers: fixed (nothing
// moves), synthetic (seeded), or csv replay. `speed` compresses time: at 2 the same simulated
// sequence arrives twice as fast. stop() clears every timer.
import type { Logger } from "../core/log.ts";
import type { SimEngine } from "./engine.ts";
import { hashSeed } from "./prng.ts";
import { ScenarioError, type Scenario } from "./scenario.ts";
import { SyntheticTicks } from "./synthetic.ts";
import { instrumentFromFileName, readTicks } from "../marketdata/read.ts";
import type { ReplayTick, TickSource } from "../marketdata/ticks.ts";
import { errorMessage } from "../core/error-message.ts";

/** Replayed gaps longer than this (in data time) are shortened to it, so weekends do not stall a replay. */
const MAX_REPLAY_GAP_MS = 10_000;

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
  const instrument = t.instrument ?? [instrumentFromFileName(path)].find((i) => i && engine.hasInstrument(i)) ?? engine.instrumentNames()[0]!;
  if (!engine.hasInstrument(instrument)) throw new ScenarioError(`ticks.instrument ${instrument} is not in the scenario's instruments`);
  let parsed: TickSource;
  try {
    parsed = readTicks({ ticksPath: path, askPath: t.askPath, format: t.format, instrument, labels: { ticks: "ticks.path", ask: "ticks.askPath", format: "ticks.format" } });
  } catch (e) {
    throw new ScenarioError(errorMessage(e));
  }
  // A pricing-stream file may hold several instruments: replay the one this source drives.
  const ticks = parsed.ticks.filter((x) => x.instrument === instrument);
  const skipped = parsed.skipped;
  if (ticks.length === 0) throw new ScenarioError(`ticks.path ${path}: no ticks for ${instrument}`);
  log?.info({ path, instrument, format: parsed.format, ticks: ticks.length, skipped }, "sim csv replay");
  let i = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const publish = (x: ReplayTick) => engine.applyTick({ instrument, bid: x.bid, ask: x.ask, ...(x.tradeable === false ? { tradeable: false } : {}) });
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
