// GET /orders/{clientId}: the order as the journal has it now, one row, or the closes by trade id
// a signal made summed up under the signal's own client id.
import type { Kysely } from "kysely";
import { signalIdFromClientId, tradeCloseClientId } from "../core/client-id.ts";
import { readTradeCloseRequest, TRADE_CLOSE } from "../core/trade-close.ts";
import type { OrderView } from "../http/deps.ts";
import type { OrdersRepository } from "../store/orders.ts";
import type { JournalDB } from "../store/tables.ts";
import { tradeCloseCandidates } from "../store/trade-close-rows.ts";
import type { OrderRow } from "../store/types.ts";

/** The journal's orders and its database (journal.orders, journal.db). */
export interface OrderViewJournal {
  orders: Pick<OrdersRepository, "findByClientId" | "findBySignalId">;
  db: Kysely<JournalDB>;
}

/** Least settled first: the legs' status is the first of theirs in this order. */
const LEG_STATUS_ORDER = ["intent", "submitted", "unknown", "reconciled", "rejected", "cancelled", "filled"] as const;

export async function orderView({ orders, db }: OrderViewJournal, clientId: string): Promise<OrderView | undefined> {
  const row = await orders.findByClientId(clientId);
  if (row) return row;
  // A signal that closed trades by id journaled one leg per trade (`<clientId>-t<tradeId>`), all
  // under its signal id. A client id folded to fit (a signal id over 125 characters) does not say
  // its signal id, but its legs (112 + 2 + the trade id's digits) are not folded again: they are
  // found by the client id they start with.
  const signalId = signalIdFromClientId(clientId);
  const candidates = signalId === undefined ? await tradeCloseCandidates(db, clientId) : await orders.findBySignalId(signalId);
  const legs = candidates.filter((r) => isTradeCloseOf(r, clientId));
  if (legs.length === 0) return undefined;
  const status = legs.map((l) => l.status).sort((a, b) => LEG_STATUS_ORDER.indexOf(a) - LEG_STATUS_ORDER.indexOf(b))[0]!;
  const filled = legs.reduce((n, l) => n + (l.filledUnits ?? 0), 0);
  return { ...legs[0]!, clientId, status, requestedUnits: legs.reduce((n, l) => n + l.requestedUnits, 0), filledUnits: filled > 0 ? filled : null, legs };
}

/** A close by trade id this client id made (`<clientId>-t<tradeId>`, folded when too long). */
function isTradeCloseOf(row: Pick<OrderRow, "clientId" | "positionFill" | "requestJson">, clientId: string): boolean {
  if (row.positionFill !== TRADE_CLOSE) return false;
  const { tradeId } = readTradeCloseRequest(row.requestJson);
  return tradeId !== undefined && row.clientId === tradeCloseClientId(clientId, tradeId);
}
