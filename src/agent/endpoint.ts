// Where the live node's broker is: the in-process simulator in paper mode (same wire protocol,
// only the URLs differ), OANDA practice or live otherwise.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../core/log.ts";
import type { RunMode } from "../core/types.ts";
import { oandaUrls } from "../oanda/index.ts";
import { parseScenario, type Scenario, type SimHandle, startSimulator } from "../sim/index.ts";

export interface BrokerEndpoint {
  restUrl: string;
  streamUrl: string;
  token: string;
  accountId: string;
  /** Paper mode: the simulator started for this agent (closed with it). */
  sim?: SimHandle;
}

export async function brokerEndpoint(config: Config, mode: RunMode, log: Logger, simScenario?: Scenario): Promise<BrokerEndpoint> {
  if (mode === "paper") {
    const sim = await startSimulator({ scenario: simScenario ?? parseScenario({ ticks: { speed: config.SIM_SPEED }, maintenance: false }), host: "127.0.0.1", port: 0, log: log.child({ part: "sim" }) });
    return { restUrl: sim.restUrl, streamUrl: sim.streamUrl, token: sim.token, accountId: sim.accountId, sim };
  }
  const { restUrl, streamUrl } = oandaUrls(config.OANDA_ENV, { restUrl: config.OANDA_REST_URL, streamUrl: config.OANDA_STREAM_URL });
  return { restUrl, streamUrl, token: config.OANDA_TOKEN!, accountId: config.OANDA_ACCOUNT_ID! };
}
