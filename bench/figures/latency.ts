// Tick to order: a PRICE line written by the (fake) broker -> the order POST it receives, through
// the agent's pricing stream, market state, fast_scalp, the bus, the gate (checks, sizing, journal
// intent) and the REST client, with the agent in its own process as a user runs it.
// fast_scalp's limits are opened up so it trades often enough to measure (no cooldown, 1,000
// orders/min, one unit per order, a new signal once the previous one's 100 ms TTL is over).
import { FakeBroker, INSTRUMENT } from "./fake-broker.ts";
import { type AgentRuntime, startAgentProcess, waitHealthy } from "./agent-process.ts";
import { quantile } from "./stats.ts";

const SLIPPAGE_PIPS = 5;

export interface LatencyFigure {
  rate: number;
  samples: number;
  unmatched: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function latencyFigure(runtime: AgentRuntime, rate: number, warmupMs: number, measureMs: number): Promise<LatencyFigure> {
  const broker = new FakeBroker(SLIPPAGE_PIPS * 0.0001);
  const url = await broker.listen();
  const agent = await startAgentProcess(runtime, {
    OANDA_TOKEN: broker.token, OANDA_ACCOUNT_ID: broker.accountId, OANDA_REST_URL: url, OANDA_STREAM_URL: url, INSTRUMENTS: INSTRUMENT,
    MICRO_MULTISTRAT_ENABLED: "0", HEDGE_BALANCER_ENABLED: "0", GATE_ENFORCE_MARKET_HOURS: "0",
    FAST_SCALP_COOLDOWN_SEC: "0", FAST_SCALP_MAX_ORDERS_PER_MIN: "1000", FAST_SCALP_UNITS: "1", SIGNAL_TTL_MS: "100",
    GATE_SLIPPAGE_PIPS: String(SLIPPAGE_PIPS),
    POCKET_RULES: JSON.stringify({ scalp_fast: { cooldownSec: 0, maxOpenTrades: 100_000, maxUnitsPerSide: 1_000_000_000 } }),
  });
  try {
    await waitHealthy(agent);
    broker.startTicks(rate);
    await new Promise((r) => setTimeout(r, warmupMs));
    broker.samples.length = 0;
    broker.unmatched = 0;
    await new Promise((r) => setTimeout(r, measureMs));
    broker.stopTicks();
    const l = broker.samples.map((s) => s.latencyMs);
    return { rate, samples: l.length, unmatched: broker.unmatched, p50Ms: quantile(l, 0.5), p99Ms: quantile(l, 0.99), maxMs: quantile(l, 1) };
  } finally {
    await agent.stop();
    await broker.close();
  }
}
