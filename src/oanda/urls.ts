// OANDA's hosts. OANDA_ENV picks practice or live; OANDA_REST_URL / OANDA_STREAM_URL override
// either (that is how paper mode points the same client at the simulator).

export type OandaEnv = "practice" | "live";

export interface OandaUrls {
  restUrl: string;
  streamUrl: string;
}

const HOSTS: Record<OandaEnv, OandaUrls> = {
  practice: { restUrl: "https://api-fxpractice.oanda.com", streamUrl: "https://stream-fxpractice.oanda.com" },
  live: { restUrl: "https://api-fxtrade.oanda.com", streamUrl: "https://stream-fxtrade.oanda.com" },
};

/** Base URLs (no trailing slash, no /v3) for an environment, with optional overrides. */
export function oandaUrls(env: OandaEnv, overrides: { restUrl?: string; streamUrl?: string } = {}): OandaUrls {
  const base = HOSTS[env];
  if (!base) throw new Error(`unknown OANDA environment ${JSON.stringify(env)}: expected practice or live`);
  return {
    restUrl: trimSlash(overrides.restUrl ?? base.restUrl),
    streamUrl: trimSlash(overrides.streamUrl ?? base.streamUrl),
  };
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, "");
}
