// `--broker` of `sekisho trades` and `sekisho pnl`: the open trades' unrealized P/L now, per trade,
// asked of OANDA with the agent's credentials (GET openTrades, read-only). Without it the CLI has
// only the journal's latest account snapshot, which holds unrealized P/L per instrument.
import { brokerEndpoints } from "../../config/endpoints.ts";
import { OandaClient } from "../../oanda/index.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE } from "../errors.ts";

export const BROKER_OPTION = ["--broker", "ask OANDA (OANDA_TOKEN, OANDA_ACCOUNT_ID) for each open trade's unrealized P/L now"] as const;

/** Unrealized P/L by OANDA trade id of the account's open trades; `accountId` must be the configured one. */
export async function brokerUnrealizedByTrade(accountId: string | undefined): Promise<Map<string, number>> {
  const { config } = loadCliConfig();
  if (!config.OANDA_TOKEN || !config.OANDA_ACCOUNT_ID) throw new CliError("--broker asks OANDA: set OANDA_TOKEN and OANDA_ACCOUNT_ID", EXIT_USAGE);
  if (accountId !== undefined && accountId !== config.OANDA_ACCOUNT_ID) {
    throw new CliError(`--broker reads account ${config.OANDA_ACCOUNT_ID} (OANDA_ACCOUNT_ID), but these trades are account ${accountId}`, EXIT_USAGE);
  }
  const { restUrl, streamUrl } = brokerEndpoints(config);
  const client = new OandaClient({ restUrl, streamUrl, token: config.OANDA_TOKEN, accountId: config.OANDA_ACCOUNT_ID, timeoutMs: config.OANDA_REQUEST_TIMEOUT_MS });
  try {
    const trades = await client.openTrades();
    return new Map(trades.filter((t) => typeof t.unrealizedPL === "number").map((t) => [t.id, t.unrealizedPL!]));
  } catch (e) {
    throw new CliError(`cannot read the open trades at OANDA: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`, EXIT_RUNTIME);
  }
}
