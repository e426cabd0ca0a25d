// Keeps AccountState current from the broker: a full refresh at start, after fills seen on the
// transaction stream, and periodically. The broker wins; disagreements are logged.
import type { AccountDetails } from "../oanda/index.ts";
import type { AccountPort } from "./ports.ts";
import type { Logger } from "../core/log.ts";
import type { Clock } from "../core/types.ts";
import type { AccountState, TradeView } from "../state/account-state.ts";
import { pocketFromTag } from "../core/tag.ts";
import { errorMessage } from "../core/error-message.ts";

function tradeViews(trades: AccountDetails["trades"]): TradeView[] {
  return trades.map((t) => {
    const { pocket, strategy } = pocketFromTag(t.clientExtensions?.tag);
    return { id: t.id, instrument: t.instrument, side: t.side, units: t.units, price: t.price ?? 0, pocket, strategy, clientId: t.clientExtensions?.id };
  });
}

export class AccountSync {
  #inFlight: Promise<void> | undefined;
  #again = false;
  lastError: string | undefined;
  refreshes = 0;

  constructor(private readonly d: { venue: AccountPort; account: AccountState; clock: Clock; log: Logger; onRefreshed?: () => void }) {}

  /** Refresh now; concurrent calls coalesce into one follow-up refresh (never a pile-up). */
  refresh(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true;
      return this.#inFlight;
    }
    this.#inFlight = this.#run();
    return this.#inFlight;
  }

  /** Read until no refresh was asked for meanwhile. (A method, not a closure made per call: a replay refreshes on most ticks.) */
  async #run(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#once();
      } while (this.#again);
    } finally {
      this.#inFlight = undefined;
    }
  }

  async #once(): Promise<void> {
    try {
      // One request: the account endpoint carries positions and open trades (with their tags).
      const details = await this.d.venue.accountDetails();
      this.d.account.applySnapshot({ ...details, asOf: this.d.clock.now() }, tradeViews(details.trades));
      this.lastError = undefined;
      this.refreshes++;
      this.d.onRefreshed?.();
    } catch (e) {
      this.lastError = errorMessage(e);
      this.d.log.warn({ event: "account_refresh_failed", err: this.lastError }, "account refresh failed; keeping the last view");
    }
  }
}
