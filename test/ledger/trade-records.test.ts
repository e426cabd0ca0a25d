// A replay's trades from OANDA-shaped fills (times as the broker wrote them, opening order, only
// trades opened within the transactions) and their CSV: the ledger's derivation, flattened.
import { describe, expect, it } from "vitest";
import { tradeRecords, tradeRecordsCsv } from "../../src/ledger/index.ts";

const fill = (id: string, time: string, reason: string, extra: Record<string, unknown>) => ({ id, type: "ORDER_FILL", instrument: "USD_JPY", time, reason, ...extra });

describe("trade records (a replay's trades) from the simulator's transactions", () => {
  const txs = [
    { id: "9", type: "MARKET_ORDER", time: "2013-02-25T00:00:00Z" },
    fill("10", "2013-02-25T00:00:00Z", "MARKET_ORDER", { tradeOpened: { tradeID: "10", units: "10000", price: "94.000", clientExtensions: { id: "sk-a", tag: "sekisho:micro:range_break" } } }),
    fill("11", "2013-02-25T00:01:00Z", "MARKET_ORDER", { tradeOpened: { tradeID: "11", units: "-5000", price: "94.010" } }),
    fill("13", "2013-02-25T00:02:00Z", "MARKET_ORDER", { tradeReduced: { tradeID: "10", units: "-4000", price: "94.100", realizedPL: "400.0000" } }),
    fill("15", "2013-02-25T00:03:00Z", "TAKE_PROFIT_ORDER", { tradesClosed: [{ tradeID: "10", units: "-6000", price: "94.200", realizedPL: "1200.0000" }] }),
    // A close of a trade opened before these transactions: not a trade of the record.
    fill("17", "2013-02-25T00:04:00Z", "MARKET_ORDER", { tradesClosed: [{ tradeID: "99", units: "1000", price: "94.2", realizedPL: "-10" }] }),
  ];

  it("opens on tradeOpened, closes in parts, and keeps who opened it", () => {
    const [a, b] = tradeRecords(txs);
    expect(a).toMatchObject({
      id: "10", side: "buy", units: 10000, openPrice: 94, state: "closed", closeTime: "2013-02-25T00:03:00Z", closedUnits: 10000,
      realizedPL: 1600, closePrice: 94.16, pocket: "micro", strategy: "range_break", clientId: "sk-a", closedBy: ["MARKET_ORDER", "TAKE_PROFIT_ORDER"],
    });
    // No sekisho tag: a trade sekisho did not open.
    expect(b).toMatchObject({ id: "11", side: "sell", units: 5000, state: "open", closeTime: null, pocket: "manual", strategy: "manual" });
  });

  it("writes CSV with a header, one row per trade, quoting only where needed", () => {
    const csv = tradeRecordsCsv(tradeRecords(txs));
    const rows = csv.trimEnd().split("\r\n");
    expect(rows[0]).toBe("id,instrument,side,units,openTime,openPrice,closeTime,closePrice,closedUnits,realizedPL,state,pocket,strategy,clientId,closedBy");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toBe("10,USD_JPY,buy,10000,2013-02-25T00:00:00Z,94,2013-02-25T00:03:00Z,94.16,10000,1600,closed,micro,range_break,sk-a,MARKET_ORDER TAKE_PROFIT_ORDER");
    expect(tradeRecordsCsv([{ ...tradeRecords(txs)[0]!, strategy: 'a,"b"' }])).toContain('"a,""b"""');
  });
});
