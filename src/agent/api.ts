// The agent's side of the HTTP boundary (src/http/deps.ts): reports built from live state,
// and operator controls that go through the same gate as every worker.
import { redactedConfig } from "../config/load.ts";
import { type ApiDeps, ApiError, type ControlState, type FlattenResult, type GateDecisionView, type PendingSignalView } from "../http/deps.ts";
import type { Signal } from "../core/types.ts";
import { clientIdForSignal } from "../core/client-id.ts";
import type { GateDecision } from "../gate/gate.ts";
import { earlierOrder } from "../gate/earlier-order.ts";
import { type Agent, HISTORY_INTERVAL_MS } from "./agent.ts";
import { flatten as runFlatten, OPERATOR_SIGNAL_TTL_MS } from "./flatten.ts";
import { historyReport } from "../http/history.ts";
import { healthReport } from "./health-report.ts";
import { ledgerApi } from "./ledger-api.ts";
import { orderView } from "./order-view.ts";
import { positionsReport } from "./positions-report.ts";

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const DECISION_TIMEOUT_MS = 30_000;
/** An operator waits this long past ORDER_TIMEOUT_MS for the gate; then the answer is 202 pending. */
const PENDING_AFTER_MS = 2_000;

export function createApiDeps(agent: Agent): ApiDeps {
  let changed: { at: number; by: string } | undefined;
  let killedBy: string | null = null;

  const controlState = (): ControlState => {
    const c = agent.gate.controls.state();
    return {
      killSwitch: { engaged: c.killSwitch.active, flatten: c.killSwitch.flatten, since: iso(c.killSwitch.since), by: c.killSwitch.active ? killedBy : null },
      paused: { all: c.pausedAll, workers: c.pausedWorkers },
      changedAt: iso(changed?.at),
      changedBy: changed?.by ?? null,
    };
  };

  const journalControl = async (action: string, actor: string, detail?: unknown) => {
    changed = { at: agent.clock.now(), by: actor };
    agent.log.info({ event: "control", action, actor, detail }, `control: ${action} by ${actor}`);
    await agent.journal.control.insert(action, actor, detail);
  };

  const view = (d: GateDecision): GateDecisionView => ({
    signalId: d.signalId,
    outcome: d.outcome === "accepted" ? "accepted" : "skipped",
    reason: d.reason,
    units: d.units ?? 0,
    clientId: d.clientId ?? null,
    orderStatus: d.orderStatus ?? null,
    details: d.detail,
  });

  /**
   * Publish and wait for the gate; a repeated id answers with the first decision. Decisions this
   * process took are answered from memory, so a signal skipped once is not decided again behind
   * the operator's back; one skipped before a restart is answered from the journal's decisions,
   * the same way. A signal that made an order goes to the gate again, whose one duplicate check
   * finds the order in the journal (`duplicate_signal`): answered as that order, as it is now.
   */
  const decide = async (s: Signal, waitMs?: number): Promise<GateDecision | "pending"> => {
    const known = agent.decided(s.id) ?? (await journaledRefusal(s.id));
    if (known) return repeated(known);
    // One copy of an id at a time: a repeat while the first is still in the bus or at the gate
    // waits for that one's decision. (A second copy would be decided on its own: the first going
    // stale in the queue would answer "skipped" while the second traded.)
    if (agent.claimSignal(s.id)) {
      const r = agent.bus.publish(s);
      if (!r.accepted) {
        agent.releaseSignal(s.id);
        if (r.reason === "overflow") throw new ApiError(503, "signal_bus_full", "the signal bus is full; try again");
        if (r.reason === "closed") throw new ApiError(503, "shutting_down", "the agent is stopping");
        throw new ApiError(400, "invalid_signal", `signal refused by the bus: ${r.reason}`);
      }
    }
    const d = await agent.waitForDecision(s.id, waitMs ?? DECISION_TIMEOUT_MS);
    // Not decided yet: the signal may still be sent, or its order is out with no answer. Either
    // way it may trade, so the answer is "pending", never "unsent".
    return d ? repeated(d) : "pending";
  };

  /**
   * The journal's first decision for a signal id when it made no order (a skip or an error). A
   * signal with an order in the journal (found as the gate's duplicate check finds it) is the
   * order's, whatever was decided first (a journal from before this rule may hold a skip and,
   * after a restart, the order the repeat made): it goes to the gate's duplicate check and is
   * answered as that order.
   */
  const journaledRefusal = async (signalId: string): Promise<GateDecision | undefined> => {
    const r = await agent.journal.decisions.firstFor(signalId);
    if (!r || r.outcome === "accepted") return undefined;
    if (await earlierOrder(agent.journal.orders, signalId)) return undefined;
    const { orderStatus: _status, ...detail } = (r.detail ?? {}) as Record<string, unknown>;
    return {
      signalId: r.signalId, worker: r.worker, strategy: r.strategy, pocket: r.pocket as GateDecision["pocket"], instrument: r.instrument, side: r.side === "sell" ? "sell" : "buy",
      outcome: r.outcome === "error" ? "error" : "skipped", reason: r.reason ?? "unknown", units: r.units ?? undefined, clientId: r.clientId ?? undefined, detail,
    };
  };

  /** A `duplicate_signal` skip is answered as the order the first signal made, as the journal has it now. */
  const repeated = async (d: GateDecision): Promise<GateDecision> => {
    if (d.reason !== "duplicate_signal") return d;
    const row = (await agent.journal.orders.findBySignalId(d.signalId))[0];
    if (!row) return d;
    return { ...d, instrument: row.instrument, side: row.side, outcome: "accepted", reason: "ok", units: row.requestedUnits, clientId: row.clientId, orderStatus: row.status, detail: { repeated: true } };
  };

  const pending = (s: Signal, orderStatus: string | null): PendingSignalView => ({
    status: "pending", signalId: s.id, clientId: clientIdForSignal(s.id), orderStatus,
    message: "the order may have been sent and the broker has not confirmed its fate yet: follow it with GET /orders/{clientId} (a signal dropped before the gate has no order: GET /signals shows its skip); sending the same id again is safe, a new id could double the position",
  });

  const flatten = (instrument: string | undefined, actor: string): Promise<FlattenResult> => runFlatten({
    account: agent.account, refresh: () => agent.accountSync.refresh(), now: () => agent.clock.now(),
    // Not decided in time: the close may still go out; report it as pending under its client id.
    decide: async (s) => {
      const d = await decide(s);
      return d !== "pending" ? d : {
        signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: s.instrument, side: s.side,
        outcome: "accepted", reason: "pending", clientId: clientIdForSignal(s.id), orderStatus: undefined, detail: { pending: true },
      };
    },
    orderStatus: async (clientId) => (await agent.journal.orders.findByClientId(clientId))?.status,
  }, instrument, actor);

  return {
    health: () => healthReport(agent, controlState()),
    positions: async () => positionsReport(agent),

    orders: {
      list: async (f) => {
        try {
          const r = await agent.journal.orders.list({ status: f.status, instrument: f.instrument, accountId: f.accountId, mode: f.mode, since: f.since, limit: f.limit, cursor: f.cursor });
          return { rows: r.rows, nextCursor: r.nextCursor ?? null };
        } catch (e) {
          if (e instanceof Error && e.name === "JournalInputError") throw new ApiError(400, "bad_cursor", e.message);
          throw e;
        }
      },
      get: (clientId) => orderView(agent.journal, clientId),
    },
    ledger: ledgerApi({ db: agent.journal.db, changeHead: () => agent.journal.feed.head(), ownAccountId: agent.journal.scope?.accountId, openTrades: () => agent.client.openTrades(), now: () => agent.clock.now() }),
    signals: (limit) => agent.journal.decisions.recent(limit),
    history: async (q) => {
      const rows = await agent.journal.history.account({ accountId: agent.account.snapshot()?.id, sinceMs: q.sinceMs, untilMs: q.untilMs, maxPoints: q.max });
      return historyReport(rows, q, HISTORY_INTERVAL_MS / 1000);
    },
    config: () => redactedConfig(agent.config),
    metrics: agent.metrics,
    control: {
      pause: async (worker, actor) => {
        agent.gate.controls.pause(worker);
        agent.alerts.notify({ kind: "pause", worker: worker ?? "all", paused: true, actor });
        await journalControl("pause", actor, { worker: worker ?? "all" });
        return controlState();
      },
      resume: async (worker, actor) => {
        const wasKilled = agent.gate.controls.killActive;
        agent.gate.controls.resume(worker);
        // Resuming everything also lifts the drawdown guard (the daily limit waits for the next day).
        if (!worker) {
          killedBy = null;
          agent.lossLimit.resume(actor);
        }
        agent.alerts.notify(!worker && wasKilled ? { kind: "kill_switch", engaged: false, flatten: false, actor } : { kind: "pause", worker: worker ?? "all", paused: false, actor });
        await journalControl("resume", actor, { worker: worker ?? "all" });
        return controlState();
      },
      kill: async ({ flatten: doFlatten }, actor) => {
        agent.gate.controls.kill(doFlatten, agent.clock.now());
        killedBy = actor;
        agent.alerts.notify({ kind: "kill_switch", engaged: true, flatten: doFlatten, actor });
        await journalControl(doFlatten ? "kill_flatten" : "kill", actor);
        const result = doFlatten ? await flatten(undefined, actor) : null;
        return { state: controlState(), flatten: result };
      },
      flatten: async (instrument, actor) => {
        await journalControl("flatten", actor, { instrument: instrument ?? "all" });
        return flatten(instrument, actor);
      },
      ackAlerts: async (actor) => {
        const now = agent.clock.now();
        const seen = agent.ledgerAlerts.check(agent.ledger.state(), now);
        await journalControl("ack_alerts", actor, { lateFills: seen.lateFills, unattributedFills: seen.unattributedFills, lastAlert: seen.lastAlert });
        agent.ledgerAlerts.acknowledge(now, actor);
        return { ledger: agent.ledgerAlerts.check(agent.ledger.state(), now) };
      },
      submitSignal: async (input, actor) => {
        // Refused before the gate: an operator order above MAX_ORDER_UNITS is a mistake, not a wish to size down.
        if (!input.reduce_only && input.units > agent.config.MAX_ORDER_UNITS) {
          throw new ApiError(422, "too_large", `units ${input.units} exceed MAX_ORDER_UNITS (${agent.config.MAX_ORDER_UNITS}): nothing was sent`);
        }
        const id = `op-${input.id ?? crypto.randomUUID()}`;
        const s: Signal = {
          id, worker: "operator", strategy: "operator", pocket: input.pocket, instrument: input.instrument, side: input.side,
          confidence: input.confidence, proposedUnits: input.units, reduceOnly: input.reduce_only,
          reduceCap: input.reduce_only ? input.units : undefined, tpPips: input.tp_pips, slPips: input.sl_pips,
          attachSlTp: !input.reduce_only && (input.tp_pips !== undefined || input.sl_pips !== undefined),
          createdAt: agent.clock.now(), ttlMs: OPERATOR_SIGNAL_TTL_MS, meta: { actor },
        };
        const d = await decide(s, agent.config.ORDER_TIMEOUT_MS + PENDING_AFTER_MS);
        if (d === "pending") return pending(s, (await agent.journal.orders.findBySignalId(s.id))[0]?.status ?? null);
        // Accepted, but the broker's answer was lost: the fate is not known, so it is pending too.
        if (d.outcome === "accepted" && (d.orderStatus === "unknown" || d.orderStatus === "submitted" || d.orderStatus === "intent")) return pending(s, d.orderStatus);
        return view(d);
      },
    },
  };
}
