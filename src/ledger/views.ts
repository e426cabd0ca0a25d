// Listing trades: filters and cursor paging over derived trades (newest first by trade id, which
// is the id of the fill that opened it, so a cursor stays valid as new trades arrive).
import { NamedError } from "../core/named-error.ts";
import type { CloseReason, Trade } from "./types.ts";

export interface TradeFilter {
  state?: "open" | "closed";
  instrument?: string;
  pocket?: string;
  strategy?: string;
  reason?: CloseReason;
  /** Trades opened or closed at or after this ISO time. */
  since?: string;
  limit: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

/** Named as the store's JournalInputError: the HTTP layer answers both with 400 invalid_request. */
export class TradeFilterError extends NamedError {
  constructor(message: string) {
    super("JournalInputError", message);
  }
}

export function listTrades(trades: readonly Trade[], f: TradeFilter): { trades: Trade[]; nextCursor?: string } {
  if (f.cursor !== undefined && !/^[1-9][0-9]{0,15}$/.test(f.cursor)) throw new TradeFilterError(`cursor is not one this server issued (got ${f.cursor})`);
  const after = f.cursor === undefined ? Infinity : Number(f.cursor);
  const picked = trades
    .filter((t) => Number(t.id) < after)
    .filter((t) => f.state === undefined || t.state === f.state)
    .filter((t) => f.instrument === undefined || t.instrument === f.instrument)
    .filter((t) => f.pocket === undefined || t.pocket === f.pocket)
    .filter((t) => f.strategy === undefined || t.strategy === f.strategy)
    .filter((t) => f.reason === undefined || t.closeReason === f.reason)
    .filter((t) => f.since === undefined || (t.openTime ?? "") >= f.since || (t.closeTime ?? "") >= f.since)
    .sort((a, b) => Number(b.id) - Number(a.id));
  const page = picked.slice(0, f.limit);
  return picked.length > f.limit ? { trades: page, nextCursor: page[page.length - 1]!.id } : { trades: page };
}
