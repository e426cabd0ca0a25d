// The metrics history and account snapshots the memo asks to be recorded (GET /history reads
// them). Writes are chained, and the chain is awaited at stop, so the journal never closes
// under one.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../core/log.ts";
import { freeMarginRatio, marginUsageRatio } from "../margin/model.ts";
import type { AccountState } from "../state/account-state.ts";
import type { Journal } from "../store/index.ts";

/** How often account snapshots and metric history are recorded (GET /history's resolution). */
export const HISTORY_INTERVAL_MS = 60_000;

export class HistoryWriter {
  #chain: Promise<void> = Promise.resolve();

  constructor(private readonly d: { journal: Journal; account: AccountState; config: Config; log: Logger }) {}

  write(): void {
    this.#chain = this.#chain.then(() => this.#record());
  }

  /** Resolves when every write asked for so far is done. */
  idle(): Promise<void> {
    return this.#chain;
  }

  async #record(): Promise<void> {
    const { journal, account, config, log } = this.d;
    const s = account.snapshot();
    if (!s) return;
    try {
      await journal.metrics.record("account.margin_usage_ratio", marginUsageRatio(s.marginUsed, s.nav));
      await journal.metrics.record("free_margin_ratio", freeMarginRatio(s.marginAvailable, s.nav));
      await journal.metrics.record("account.nav", s.nav);
      await journal.snapshots.insert(s);
      await journal.metrics.prune(config.METRICS_RETENTION_DAYS);
    } catch (e) {
      log.warn({ event: "history_write_failed", err: String(e) });
    }
  }
}
