// What execution tells the rest of the node about an order it carries out: the events the
// account state follows (units reserved, a fill, a release) and that workers may follow (a
// signal's order settled). Like NautilusTrader's order events on its message bus: execution
// publishes, state and strategies subscribe; nothing writes into them from outside.
import type { OrderOutcome, OrderStatus } from "./orders.ts";
import type { Side, Signal } from "./types.ts";

/** Units an unsettled order may still move: counted as position until its fate is known. */
export interface Reservation {
  clientId: string;
  instrument: string;
  side: Side;
  units: number;
  reduceOnly: boolean;
  since: number;
  /** The request's answer was lost: it may still fill, at any time until the fate horizon. */
  fateUnknown?: boolean;
  /** A close of this trade (PUT /trades/{id}/close); at most one per trade at a time. */
  tradeId?: string;
}

export type NewReservation = Omit<Reservation, "since" | "fateUnknown">;

/** What came of one order (or of every leg a signal produced, summed up). */
export interface SettledOrder {
  clientId: string;
  instrument: string;
  side: Side;
  status: OrderStatus;
  outcomeKind: OrderOutcome["kind"] | "lookup";
  units: number;
  filledUnits?: number;
  fillPrice?: number;
  reduceOnly: boolean;
  reason?: string;
}

export type OrderEvent =
  /** The intent is journaled: its units count as position from now until it settles. */
  | { type: "reserved"; reservation: NewReservation }
  /**
   * The answer was lost (or a restart found the row unsettled): the order counts at full size
   * until its fate is proven. `reservation` counts it when nothing counts it yet (after a restart).
   */
  | { type: "fate_unknown"; clientId: string; reservation?: NewReservation }
  /** A fill to apply between account refreshes (ignored if the snapshot or an earlier event has it). */
  | { type: "filled"; clientId: string; instrument: string; side: Side; units: number; transactionId: string; reduceOnly: boolean }
  /** The order's fate is final (filled, cancelled, rejected, or reconciled as never executed): its reservation goes. */
  | { type: "released"; clientId: string; status: OrderStatus }
  /**
   * Every order a signal produced has an answer and the gate has recorded its decision (the
   * figure it reports for the signal). The one settlement notice: workers, alerts and replay's
   * recorder follow it; the gate reads the account again after it, before the next signal.
   */
  | { type: "signal_settled"; order: SettledOrder; signal: Signal };

export type OrderEventListener = (e: OrderEvent) => void;
