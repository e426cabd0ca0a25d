// The node's view of the world, built from the venue: the instrument table, market state seeded
// with the venue's prices (margin conversion needs a mid before the first account snapshot is
// judged), account state, and the account sync that keeps it current. No node starts on an
// account it could not read (firstRead).
import type { Config } from "../config/schema.ts";
import type { InstrumentTable } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import type { Clock } from "../core/types.ts";
import { AccountState } from "../state/account-state.ts";
import { MarketState, marketWindowMs } from "../state/market-state.ts";
import { AccountSync } from "./account-sync.ts";
import type { VenuePort } from "./ports.ts";

export interface NodeState {
  market: MarketState;
  account: AccountState;
  accountSync: AccountSync;
}

export async function buildState(o: {
  config: Config;
  clock: Clock;
  venue: VenuePort;
  log: Logger;
  instruments: InstrumentTable;
  /** The instruments traded (live: INSTRUMENTS; replay: the simulator's). */
  instrumentNames: string[];
  onRefreshed: () => void;
}): Promise<NodeState> {
  const { config, clock, venue, log, instruments } = o;
  for (const spec of await venue.instruments(o.instrumentNames)) instruments.upsert(spec);
  const market = new MarketState({ instruments, clock, windowMs: marketWindowMs(config), log });
  const account = new AccountState({
    instruments, clock, modelSetting: config.MARGIN_MODEL, closeoutRuleSetting: config.CLOSEOUT_RULE,
    mid: (i) => market.mid(i), priceAgeMs: (i) => market.priceAgeMs(i), log,
  });
  for (const t of await venue.pricing(o.instrumentNames)) market.onTick(t);
  const accountSync = new AccountSync({ venue, account, clock, log, onRefreshed: o.onRefreshed });
  return { market, account, accountSync };
}

/** The first account read; a node that cannot read its account does not start. */
export async function firstRead(sync: AccountSync, account: AccountState, venueName: string): Promise<void> {
  await sync.refresh();
  if (!account.ready) throw new Error(`could not read the account from ${venueName}: ${sync.lastError ?? "no answer"}`);
}
