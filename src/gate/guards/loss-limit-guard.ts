// The loss-limit guard's state around the pure rules in loss-limit.ts: it folds every NAV reading
// in, keeps the state in the journal (so a restart neither lifts the drawdown guard nor forgets
// the high-water mark), and raises each change once (error log, metric and alert via onEvent).
import type { Clock } from "../../core/types.ts";
import type { Logger } from "../../core/log.ts";
import { roundOrNull } from "../../core/round.ts";
import { entryBlock, type LossLimitBlock, type LossLimitEvent, type LossLimitSettings, type LossLimitState, dailyLimitAmount, observeNav, parseDailyLoss, resumeDrawdown } from "./loss-limit.ts";

export interface GuardStateStore {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
}

const KEY = "loss_limit";

export interface LossLimitStatus {
  engaged: boolean;
  scope: "daily" | "drawdown" | null;
  since: string | null;
  tradingDay: string | null;
  dayOpenNav: number | null;
  highWaterNav: number | null;
  nav: number | null;
  dailyLimit: number | null;
  drawdownLimit: number | null;
}

export function lossLimitSettings(config: { MAX_DAILY_LOSS: string; MAX_DRAWDOWN_PCT: number }): LossLimitSettings {
  return { daily: parseDailyLoss(config.MAX_DAILY_LOSS), maxDrawdownPct: config.MAX_DRAWDOWN_PCT };
}

export class LossLimitGuard {
  #state: LossLimitState | undefined;
  #nav: number | undefined;
  #writes: Promise<void> = Promise.resolve();

  constructor(private readonly o: {
    settings: LossLimitSettings;
    clock: Clock;
    store?: GuardStateStore;
    log: Logger;
    onEvent?: (e: LossLimitEvent, state: LossLimitState) => void;
  }) {}

  /** Restore the persisted state (call once before trading). */
  async load(): Promise<void> {
    this.#state = await this.o.store?.get<LossLimitState>(KEY);
  }

  /** Fold a NAV reading in (every account refresh, and the gate before each entry). */
  observe(nav: number): void {
    if (!Number.isFinite(nav)) return;
    this.#nav = nav;
    const before = this.#state;
    const { state, events } = observeNav(before, nav, this.o.clock.now(), this.o.settings);
    this.#state = state;
    if (!before || before.highWaterNav !== state.highWaterNav || before.tradingDay !== state.tradingDay || events.length > 0) this.#persist();
    for (const e of events) {
      if (e.kind === "daily_lifted") this.o.log.info({ event: "loss_limit_lifted", scope: "daily", tradingDay: e.tradingDay }, "daily loss limit lifted: a new trading day");
      else this.o.log.error({ event: "loss_limit", scope: e.kind === "daily_tripped" ? "daily" : "drawdown", loss: roundOrNull(e.loss), limit: roundOrNull(e.limit), nav }, "loss limit reached: entries stopped, reduce-only still passes");
      try {
        this.o.onEvent?.(e, state);
      } catch (err) {
        this.o.log.warn({ event: "loss_limit_observer_failed", err: String(err) });
      }
    }
  }

  /** Why entries must stop now (after folding `nav` in), or undefined. */
  check(nav: number): LossLimitBlock | undefined {
    this.observe(nav);
    return entryBlock(this.#state, nav, this.o.settings);
  }

  /** An operator's resume lifts the drawdown guard (never the daily limit). True if it was engaged. */
  resume(actor: string): boolean {
    const s = this.#state;
    if (!s || s.drawdownTrippedAt === undefined) return false;
    this.#state = resumeDrawdown(s, this.#nav ?? s.drawdownTrippedNav ?? s.highWaterNav);
    this.o.log.warn({ event: "loss_limit_lifted", scope: "drawdown", actor, highWaterNav: this.#state.highWaterNav }, "drawdown guard lifted by the operator; the high-water mark restarts at the current NAV");
    this.#persist();
    return true;
  }

  status(): LossLimitStatus {
    const s = this.#state;
    const nav = this.#nav ?? null;
    const block = s && nav !== null ? entryBlock(s, nav, this.o.settings) : undefined;
    return {
      engaged: block !== undefined,
      scope: block?.scope ?? null,
      since: block ? new Date(block.since).toISOString() : null,
      tradingDay: s?.tradingDay ?? null,
      dayOpenNav: s?.dayOpenNav ?? null,
      highWaterNav: s?.highWaterNav ?? null,
      nav,
      dailyLimit: s ? roundOrNull(dailyLimitAmount(this.o.settings.daily, s.dayOpenNav) ?? Number.NaN) : null,
      drawdownLimit: s && this.o.settings.maxDrawdownPct > 0 ? roundOrNull((s.highWaterNav * this.o.settings.maxDrawdownPct) / 100) : null,
    };
  }

  /** Resolves once every state write so far is done (stop waits on it). */
  flush(): Promise<void> {
    return this.#writes;
  }

  #persist(): void {
    const store = this.o.store;
    if (!store) return;
    const snapshot = { ...this.#state };
    this.#writes = this.#writes.then(() => store.put(KEY, snapshot)).catch((e) => this.o.log.error({ event: "guard_state_write_failed", err: String(e) }, "could not persist the loss-limit state"));
  }
}
