// The gate's decision on one signal, and how it is recorded: metrics and the observer first
// (they must never stop the gate loop), then the journal, then a log line.
import type { Logger } from "../core/log.ts";
import type { NewDecision } from "../core/journal-records.ts";
import type { OrderStatus } from "../core/orders.ts";
import type { Pocket, Signal } from "../core/types.ts";
import type { GateJournal, GateMetrics } from "./ports.ts";

export interface GateDecision {
  signalId: string;
  worker: string;
  strategy: string;
  pocket: Pocket;
  instrument: string;
  side: "buy" | "sell";
  outcome: "accepted" | "skipped" | "error";
  /** `ok` when accepted; otherwise the step's reason (e.g. `spread`, `margin_budget`). */
  reason: string;
  units?: number;
  clientId?: string;
  /** Status of the order once settled (accepted decisions only). */
  orderStatus?: OrderStatus;
  /** The numbers behind the decision. */
  detail: Record<string, unknown>;
}

export function decisionFor(s: Partial<Signal>, outcome: GateDecision["outcome"], reason: string, detail: Record<string, unknown>): GateDecision {
  return {
    signalId: String(s?.id ?? "?"), worker: String(s?.worker ?? "?"), strategy: String(s?.strategy ?? "?"),
    pocket: (s?.pocket ?? "manual") as Pocket, instrument: String(s?.instrument ?? "?"), side: s?.side === "sell" ? "sell" : "buy",
    outcome, reason, detail,
  };
}

export async function recordDecision(d: GateDecision, o: { journal: GateJournal; metrics?: GateMetrics; log: Logger; onDecision?: (d: GateDecision) => void }): Promise<void> {
  // Observers must never stop the gate loop.
  try {
    o.metrics?.decision(d.outcome, d.reason);
    o.onDecision?.(d);
  } catch (e) {
    o.log.warn({ event: "decision_observer_failed", err: String(e) });
  }
  const rec: NewDecision = {
    signalId: d.signalId, worker: d.worker, strategy: d.strategy, pocket: d.pocket, instrument: d.instrument, side: d.side,
    outcome: d.outcome, reason: d.reason, units: d.units, clientId: d.clientId, detail: { ...d.detail, orderStatus: d.orderStatus },
  };
  try {
    await o.journal.decisions.insert(rec);
  } catch (e) {
    o.log.error({ event: "journal_error", err: String(e) }, "could not journal a decision");
  }
  if (d.outcome === "skipped") o.log.debug({ event: "gate_skip", signalId: d.signalId, worker: d.worker, reason: d.reason, detail: d.detail });
  else o.log.info({ event: "gate_decision", signalId: d.signalId, worker: d.worker, outcome: d.outcome, reason: d.reason, units: d.units, orderStatus: d.orderStatus });
}
