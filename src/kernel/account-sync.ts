// Keeps AccountState current from the broker: a full refresh at start, after fills seen on the
// transaction stream, and periodically. The broker wins; disagreements are logged.
import type { AccountDetails } from "../oanda/index.ts";
import type { AccountPort } from "./ports.ts";
import type { Logger } from "../core/log.ts";
import type { Clock } from "../core/types.ts";
import type { AccountState, TradeView } from "../state/account-state.ts";
import { pocketFromTag } from "../core/tag.ts";
import { errorMessage } from "../core/error-message.ts";

// A handful of distinct tags (one per pocket and strategy) on every trade of every refresh: each
// is read once. Bounded, for an account whose trades carry ever new tags of their own.
const MAX_TAGS = 1024;
const tags = new Map<unknown, ReturnType<typeof pocketFromTag>>();
function tagOf(tag: unknown): ReturnType<typeof pocketFromTag> {
  let r = tags.get(tag);
  if (!r) {
    if (tags.size >= MAX_TAGS) tags.clear();
    tags.set(tag, (r = pocketFromTag(tag)));
  }
  return r;
}

function tradeViews(trades: AccountDetails["trades"]): TradeView[] {
  return trades.map((t) => {
    const { pocket, strategy } = tagOf(t.clientExtensions?.tag);
    return { id: t.id, instrument: t.instrument, side: t.side, units: t.units, price: t.price ?? 0, pocket, strategy, clientId: t.clientExtensions?.id };
  });
}

/** What a refresh done at once returns: nothing is left to wait for. */
const SETTLED: Promise<void> = Promise.resolve();

export class AccountSync {
  #inFlight: Promise<void> | undefined;
  #again = false;
  lastError: string | undefined;
  refreshes = 0;
  /**
   * The open trades of the last read and their views. A venue that hands over the very same list
   * again (the in-process venue's, frozen and kept while lastTransactionID stays) has nothing new
   * in it: a replay reads the account on most ticks and most reads move only prices. A parsed
   * answer is a new list every time and is always read: the views never rest on an answer's
   * lastTransactionID agreeing with its trades.
   */
  #tradesOf: { list: AccountDetails["trades"]; views: TradeView[] } | undefined;

  constructor(private readonly d: { venue: AccountPort; account: AccountState; clock: Clock; log: Logger; onRefreshed?: () => void }) {}

  /** Refresh now; concurrent calls coalesce into one follow-up refresh (never a pile-up). */
  refresh(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true;
      return this.#inFlight;
    }
    if (this.d.venue.accountDetailsNow) return this.#readNow();
    this.#inFlight = this.#run();
    return this.#inFlight;
  }

  /**
   * Refresh without a promise where the venue answers at once (true: done); false where a read
   * must be awaited or one is in flight, and refresh() is the way. A replay refreshes on most
   * ticks: an `await` a tick is a resumption and its allocations for nothing to wait for.
   */
  refreshedNow(): boolean {
    if (this.#inFlight || !this.d.venue.accountDetailsNow) return false;
    this.#readNow();
    return true;
  }

  /**
   * A venue that answers at once: read and apply now. A refresh asked for meanwhile (by an
   * observer of this one) is done before this returns, as the awaited loop below would do
   * before its promise settles.
   */
  #readNow(): Promise<void> {
    this.#inFlight = SETTLED;
    try {
      do {
        this.#again = false;
        try {
          this.#take(this.d.venue.accountDetailsNow!());
        } catch (e) {
          this.#failed(e);
        }
      } while (this.#again);
    } finally {
      this.#inFlight = undefined;
    }
    return SETTLED;
  }

  /**
   * Read until no refresh was asked for meanwhile. One async method with the read's await in it,
   * not a loop awaiting a second async method: a replay refreshes on most ticks, and each async
   * layer is a promise and a resumption more per read.
   */
  async #run(): Promise<void> {
    try {
      do {
        this.#again = false;
        try {
          // One request: the account endpoint carries positions and open trades (with their tags).
          this.#take(await this.d.venue.accountDetails());
        } catch (e) {
          this.#failed(e);
        }
      } while (this.#again);
    } finally {
      this.#inFlight = undefined;
    }
  }

  #failed(e: unknown): void {
    this.lastError = errorMessage(e);
    this.d.log.warn({ event: "account_refresh_failed", err: this.lastError }, "account refresh failed; keeping the last view");
  }

  #take(details: AccountDetails): void {
    // Stamped on this clock. The venue hands over a fresh object (as a parsed answer is); when
    // it already carries this time (an in-process venue on the same clock, every replayed
    // tick) it is taken as it is rather than copied field by field into an equal one.
    const asOf = this.d.clock.now();
    let known = this.#tradesOf;
    if (known?.list !== details.trades) known = this.#tradesOf = { list: details.trades, views: tradeViews(details.trades) };
    this.d.account.applySnapshot(details.asOf === asOf ? details : { ...details, asOf }, known.views);
    this.lastError = undefined;
    this.refreshes++;
    this.d.onRefreshed?.();
  }
}
