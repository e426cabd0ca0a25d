// Tick to order: a PRICE line written by the (fake) broker -> the order POST it receives, through
// the agent's pricing stream, market state, fast_scalp, the bus, the gate (checks, sizing, journal
// intent) and the REST client, with the agent in its own process as a user runs it.
// fast_scalp is switched on (it is off by default) and its limits opened up so it trades often
// enough to measure (no cooldown, 1,000 orders/min and 100,000/h, one unit per order, a new signal once the
// previous one's 100 ms TTL is over); the other workers are off.
// "floor" runs the floor program (floor-agent.ts) in the agent's place: the same path with only
// the unavoidable steps, measured the same way in the same minutes.
import { FakeBroker, INSTRUMENT } from "./fake-broker.ts";
import { type AgentRuntime, cpuMs, startAgentProcess, startFloorProcess, type StopResult, waitHealthy } from "./agent-process.ts";
import { histogramBuckets, histogramQuantile, quantile } from "./stats.ts";
import process from "node:process";
import { delay } from "../../src/core/async/delay.ts";

const SLIPPAGE_PIPS = 5;

export interface LatencyFigure {
  rate: number;
  samples: number;
  unmatched: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * The agent's own view over the same window: its tick-to-submit histogram (tick received ->
   * order request written, monotonic clock), p50 and p99 as bucket upper bounds, ms. The gap to
   * the broker's figures is the pricing stream's and the POST's way through the sockets.
   */
  agentP50Ms: number;
  agentP99Ms: number;
  /** The agent's CPU time (user + system) over the measured window, as a share of one core, %. */
  agentCpuPct: number;
  /** SIGTERM to exit of the agent after the run, ms, and whether it needed SIGKILL. */
  stop?: StopResult;
}

export async function latencyFigure(runtime: AgentRuntime | "floor", rate: number, warmupMs: number, measureMs: number, extraEnv: Record<string, string> = {}): Promise<LatencyFigure> {
  const broker = new FakeBroker(SLIPPAGE_PIPS * 0.0001);
  const url = await broker.listen();
  const floor = runtime === "floor";
  const agent = floor ? startFloorProcess(url, broker.token, broker.accountId, SLIPPAGE_PIPS * 0.0001) : await startAgentProcess(runtime, {
    OANDA_TOKEN: broker.token, OANDA_ACCOUNT_ID: broker.accountId, OANDA_REST_URL: url, OANDA_STREAM_URL: url, INSTRUMENTS: INSTRUMENT,
    FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0", GATE_ENFORCE_MARKET_HOURS: "0",
    FAST_SCALP_COOLDOWN_SEC: "0", FAST_SCALP_MAX_ORDERS_PER_MIN: "1000", FAST_SCALP_MAX_ORDERS_PER_HOUR: "100000", FAST_SCALP_MAX_ORDERS_PER_DAY: "1000000", FAST_SCALP_UNITS: "1", SIGNAL_TTL_MS: "100",
    GATE_SLIPPAGE_PIPS: String(SLIPPAGE_PIPS),
    POCKET_RULES: JSON.stringify({ scalp_fast: { cooldownSec: 0, maxOpenTrades: 100_000, maxUnitsPerSide: 1_000_000_000 } }),
    ...extraEnv,
  });
  let figure: LatencyFigure | undefined;
  try {
    if (floor) while (broker.streamsOpen === 0) await delay(10);
    else await waitHealthy(agent);
    broker.startTicks(rate);
    await delay(warmupMs);
    broker.samples.length = 0;
    broker.unmatched = 0;
    const before = floor ? new Map<number, number>() : await tickToSubmit(agent.port);
    const cpuBefore = cpuMs(agent.proc.pid!);
    const t0 = performance.now();
    await delay(measureMs);
    broker.stopTicks();
    const cpu = cpuMs(agent.proc.pid!) - cpuBefore;
    const wall = performance.now() - t0;
    const after = floor ? new Map<number, number>() : await tickToSubmit(agent.port);
    const l = broker.samples.map((s) => s.latencyMs);
    figure = {
      rate, samples: l.length, unmatched: broker.unmatched, p50Ms: quantile(l, 0.5), p99Ms: quantile(l, 0.99), maxMs: quantile(l, 1),
      agentP50Ms: floor ? NaN : histogramQuantile(before, after, 0.5) * 1000, agentP99Ms: floor ? NaN : histogramQuantile(before, after, 0.99) * 1000,
      agentCpuPct: (cpu / wall) * 100,
    };
    return figure;
  } finally {
    // BENCH_KEEP_AGENT_LOG=1 keeps the agent's directory and names its log (e.g. for
    // BENCH_AGENT_FLAGS="--v8-flags=--trace-gc": the GC pauses are in that log).
    const keep = Boolean(process.env.BENCH_KEEP_AGENT_LOG);
    const stop = await agent.stop(undefined, keep);
    if (keep) process.stderr.write(`latency ${rate}/s: the agent's log: ${agent.logFile}\n`);
    if (figure) figure.stop = stop;
    if (!stop.graceful) process.stderr.write(`latency ${rate}/s: the agent ignored SIGTERM for 10 s and was killed; its log: ${agent.logFile}\n`);
    await broker.close();
  }
}

/** The agent's tick-to-submit histogram, scraped from its /metrics. */
async function tickToSubmit(port: number): Promise<Map<number, number>> {
  const r = await fetch(`http://127.0.0.1:${port}/metrics`);
  return histogramBuckets(await r.text(), "sekisho_tick_to_submit_seconds");
}
