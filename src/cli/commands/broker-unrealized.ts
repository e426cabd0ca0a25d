// `--broker` of `sekisho trades` and `sekisho pnl`: the open trades' unrealized P/L now, per trade,
// asked of OANDA with the agent's credentials (GET openTrades, read-only). Without it the CLI has
// only the journal's latest account snapshot, which holds unrealized P/L per instrument.
import { cliBrokerClient } from "../broker-client.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE, firstLine } from "../errors.ts";

export const BROKER_OPTION = ["--broker", "ask OANDA (OANDA_TOKEN, OANDA_ACCOUNT_ID) for each open trade's unrealized P/L now"] as const;

/** Unrealized P/L by OANDA trade id of the account's open trades; `accountId` must be the configured one. */
export async function brokerUnrealizedByTrade(accountId: string | undefined): Promise<Map<string, number>> {
  const { client, accountId: configured } = cliBrokerClient(loadCliConfig().config, "--broker asks OANDA");
  if (accountId !== undefined && accountId !== configured) {
    throw new CliError(`--broker reads account ${configured} (OANDA_ACCOUNT_ID), but these trades are account ${accountId}`, EXIT_USAGE);
  }
  try {
    const trades = await client.openTrades();
    return new Map(trades.filter((t) => typeof t.unrealizedPL === "number").map((t) => [t.id, t.unrealizedPL!]));
  } catch (e) {
    throw new CliError(`cannot read the open trades at OANDA: ${firstLine(e)}`, EXIT_RUNTIME);
  }
}
