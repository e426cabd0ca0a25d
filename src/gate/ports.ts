// What the gate needs from the rest of the agent, as narrow structural types (Kysely-style
// typed boundaries): the journal in src/store and the registry in src/metrics satisfy them.
// The records it writes are the shared vocabulary in src/core/journal-records.ts.
import type { NewDecision } from "../core/journal-records.ts";
import type { Tick } from "../core/types.ts";
import type { ExecutionMetrics, OrderJournal } from "../execution/ports.ts";

export type { JournalOrderRow } from "../execution/ports.ts";

export interface GateJournal {
  /** Orders: execution journals them; the gate reads them for its duplicate check. */
  orders: OrderJournal;
  decisions: { insert(d: NewDecision): Promise<void> };
}

export interface GateMetrics extends ExecutionMetrics {
  decision(outcome: string, reason: string): void;
}

/** Latest prices as the market state holds them. */
export interface PriceView {
  latest(instrument: string): Tick | undefined;
}
