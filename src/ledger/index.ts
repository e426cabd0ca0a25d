// Trades and P/L from the broker's ledger: pure functions, no I/O (the store feeds them).
export * from "./types.ts";
export { closeReason } from "./close-reason.ts";
export { deriveLedger, noOrigins, originLookup, type OriginLookup } from "./trades.ts";
export { aggregatePnl, PNL_GROUPINGS, type PnlGroupBy, type PnlOptions, type PnlReport, type PnlRow } from "./pnl.ts";
export { isoFromOandaTime, tradingDay } from "./time.ts";
export { addMoney, sumMoney } from "./money.ts";
export { listTrades, TradeFilterError, type TradeFilter } from "./views.ts";
export { tradeRecords, tradeRecordsCsv, type TradeRecord } from "./trade-records.ts";
