// zod schemas for the OANDA v20 responses sekisho reads (definitions in OANDA's v20 spec,
// ../shared/data/oanda/v20-openapi/v20.json), one file a role under schemas/. Objects are loose:
// OANDA adds fields over time and an unknown field must never break trading.
export * from "./schemas/scalars.ts";
export * from "./schemas/account.ts";
export * from "./schemas/market.ts";
export * from "./schemas/transactions.ts";
export * from "./schemas/orders.ts";
