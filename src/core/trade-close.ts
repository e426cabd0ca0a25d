// A close of one trade by id (OANDA: PUT /trades/{id}/close) as the journal records it: OANDA
// puts no client id on such a close, so its row is found again by what its request says (the
// trade, and the last transaction id seen before it was sent). Written by execution, read by
// execution's reconciliation and by the ledger's attribution: one codec for both.

/** positionFill journaled for a close by trade id; also OANDA's MARKET_ORDER reason for the order such a close creates. */
export const TRADE_CLOSE = "TRADE_CLOSE";

/** What a trade close's journal row says of its request. */
export interface TradeCloseRequest {
  tradeId?: string;
  /** lastTransactionID of the account picture in force when it was sent: its fill comes after. */
  sinceTransactionID?: string;
}

/** The request JSON journaled for a close of `units` of trade `tradeId`. */
export function tradeCloseRequestJson(tradeId: string, units: number, sinceTransactionID: string): string {
  return JSON.stringify({ tradeClose: { tradeId, units }, sinceTransactionID });
}

/** The trade and the transaction id a trade close row's request names (empty when unreadable). */
export function readTradeCloseRequest(requestJson: string | null | undefined): TradeCloseRequest {
  try {
    const r = JSON.parse(requestJson ?? "{}") as { tradeClose?: { tradeId?: unknown }; sinceTransactionID?: unknown };
    return {
      ...(r?.tradeClose?.tradeId === undefined ? {} : { tradeId: String(r.tradeClose.tradeId) }),
      ...(r?.sinceTransactionID === undefined ? {} : { sinceTransactionID: String(r.sinceTransactionID) }),
    };
  } catch {
    return {};
  }
}
