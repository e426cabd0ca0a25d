// The read-only OANDA client of the CLI's broker questions (`ledger import`, `--broker`), built
// from the agent's own settings: the commands that ask the broker refuse to run without them.
import { brokerEndpoints } from "../config/endpoints.ts";
import type { Config } from "../config/schema.ts";
import { OandaClient } from "../oanda/index.ts";
import { CliError, EXIT_USAGE } from "./errors.ts";

/** The configured account's client; `why` opens the usage error when the credentials are missing. */
export function cliBrokerClient(config: Config, why: string): { client: OandaClient; accountId: string } {
  const token = config.OANDA_TOKEN;
  const accountId = config.OANDA_ACCOUNT_ID;
  if (!token || !accountId) throw new CliError(`${why}: set OANDA_TOKEN and OANDA_ACCOUNT_ID`, EXIT_USAGE);
  const { restUrl, streamUrl } = brokerEndpoints(config);
  return { client: new OandaClient({ restUrl, streamUrl, token, accountId, timeoutMs: config.OANDA_REQUEST_TIMEOUT_MS }), accountId };
}
