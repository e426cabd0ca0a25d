// Live is decided by where orders go, not by a label. OANDA_ENV=practice with
// OANDA_REST_URL=https://api-fxtrade.oanda.com would otherwise trade a live account as "practice"
// without the --live flag. Rule: a URL on OANDA's practice hosts is practice; on loopback it is a
// local server (the simulator, a test double); anything else (OANDA's live hosts, or any other
// host, which could be a proxy in front of either) is treated as live.
import { oandaUrls } from "../oanda/urls.ts";
import { isLoopbackHost } from "../core/loopback.ts";
import type { Config } from "./schema.ts";

export const PRACTICE_HOSTS = ["api-fxpractice.oanda.com", "stream-fxpractice.oanda.com"] as const;
export const LIVE_HOSTS = ["api-fxtrade.oanda.com", "stream-fxtrade.oanda.com"] as const;

export type EndpointKind = "practice" | "live" | "loopback";

export function endpointKind(url: string): EndpointKind {
  const host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  if ((PRACTICE_HOSTS as readonly string[]).includes(host)) return "practice";
  if (isLoopbackHost(host)) return "loopback";
  return "live";
}

export interface BrokerEndpoints {
  restUrl: string;
  streamUrl: string;
  rest: EndpointKind;
  stream: EndpointKind;
  /** True when either URL reaches a live (or unknown, non-loopback) host. */
  live: boolean;
}

/** Where a configuration with credentials sends its orders and opens its streams. */
export function brokerEndpoints(config: Pick<Config, "OANDA_ENV" | "OANDA_REST_URL" | "OANDA_STREAM_URL">): BrokerEndpoints {
  const { restUrl, streamUrl } = oandaUrls(config.OANDA_ENV, { restUrl: config.OANDA_REST_URL, streamUrl: config.OANDA_STREAM_URL });
  const rest = endpointKind(restUrl);
  const stream = endpointKind(streamUrl);
  return { restUrl, streamUrl, rest, stream, live: rest === "live" || stream === "live" };
}

/** One line for the operator: the REST URL and what it is. */
export function describeEndpoints(e: BrokerEndpoints): string {
  const what = (k: EndpointKind) => (k === "practice" ? "OANDA practice" : k === "loopback" ? "a local server on loopback" : "LIVE: OANDA's live hosts or another non-loopback host");
  return e.rest === e.stream ? `${e.restUrl} and ${e.streamUrl} (${what(e.rest)})` : `${e.restUrl} (${what(e.rest)}), streams ${e.streamUrl} (${what(e.stream)})`;
}
