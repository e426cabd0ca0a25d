// The client's schemas must read what OANDA really sends: recorded practice-account payloads
// from three independent libraries (see ../shared/data/oanda/SOURCES.md).
import { describe, expect, it } from "vitest";
import { hasSharedData, readShared, readSharedJson } from "../helpers/shared-data.ts";
import * as S from "../../src/oanda/schemas.ts";
import { outcomeFromOrderResponse, tradeCloseFillsIn } from "../../src/oanda/order-mapping.ts";
import { tickFromPrice } from "../../src/oanda/tick.ts";
import { candlesFromClient } from "../../src/oanda/data.ts";

type Rec = Record<string, { response: unknown }>;
const asyncV20 = (name: string) => readSharedJson("oanda", "async_v20", `${name}.json`);
const pyV20 = (file: string, key: string) => (readSharedJson<Rec>("oanda", "oandapyV20-responses", `${file}.json`)[key] as { response: unknown }).response;

function parses<T extends import("zod").ZodType>(schema: T, body: unknown) {
  const r = schema.safeParse(body);
  if (!r.success) throw new Error(r.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return r.data as import("zod").output<T>;
}

describe.skipIf(!hasSharedData)("schemas parse recorded OANDA payloads", () => {
  it("account summary (AUD account, UNIX times; EUR account, RFC 3339)", () => {
    const summary = (body: unknown) => parses(S.accountSummary, (body as { account: unknown }).account);
    const a = summary(asyncV20("static.account_summary_response"));
    expect(a.NAV).toBe(97804.9448);
    expect(a.marginAvailable).toBe(97804.9448);
    expect(a.lastTransactionID).toBe("4874");
    const b = summary(pyV20("accounts", "_v3_account_by_accountID_summary"));
    expect(b.marginUsed).toBe(10581.5);
    expect(b.marginCloseoutPercent).toBe(0.14923);
    summary(asyncV20("json_data.GETAccountIDSummary_response"));
  });

  it("account details with positions and trades", () => {
    for (const body of [asyncV20("static.get_account_details_response"), asyncV20("json_data.GETAccountID_response"), pyV20("accounts", "_v3_account_by_accountID")]) {
      const d = parses(S.accountDetailsResponse, body);
      expect(d.account.id).toMatch(/^\d{3}-\d{3}-\d+-\d{3}$/);
    }
  });

  it("instruments: USD_JPY pip location, precision and margin rate", () => {
    const r = parses(S.instrumentsResponse, asyncV20("static.account_instruments_response"));
    const usdjpy = r.instruments.find((i) => i.name === "USD_JPY");
    expect(usdjpy).toMatchObject({ pipLocation: -2, displayPrecision: 3, marginRate: 0.02 });
    expect(r.instruments.length).toBeGreaterThan(50);
    parses(S.instrumentsResponse, pyV20("accounts", "_v3_account_by_accountID_instruments"));
  });

  it("open positions and positions", () => {
    const positions = (body: unknown) => (body as { positions: unknown[] }).positions.map((p) => parses(S.position, p));
    expect(positions(asyncV20("static.list_positions_response")).length).toBeGreaterThan(0);
    for (const p of positions(pyV20("positions", "_v3_accounts_accountID_openpositions"))) expect(p.long.units).toBeGreaterThanOrEqual(0), expect(p.short.units).toBeLessThanOrEqual(0);
    positions(pyV20("positions", "_v3_accounts_accountID_positions"));
    parses(S.position, (asyncV20("static.get_position_response") as { position: unknown }).position);
    parses(S.position, asyncV20("json_data.position_response"));
  });

  it("open trades (with and without any)", () => {
    const a = parses(S.openTradesResponse, asyncV20("static.list_open_trades_response"));
    expect(a.trades.length).toBeGreaterThan(0);
    expect(parses(S.openTradesResponse, asyncV20("static.no_open_trades_response")).trades).toEqual([]);
    const b = parses(S.openTradesResponse, pyV20("trades", "_v3_accounts_accountID_opentrades"));
    expect(b.trades[0]).toMatchObject({ id: "2315", instrument: "DE30_EUR", price: 10678.3, currentUnits: 10 });
  });

  it("pricing snapshots become ticks with best bid below best ask", () => {
    for (const body of [asyncV20("static.get_pricing_response"), pyV20("pricing", "_v3_accounts_accountID_pricing")]) {
      const r = parses(S.pricingResponse, body);
      expect(r.prices.length).toBeGreaterThan(0);
      for (const p of r.prices) {
        const t = tickFromPrice(p, 0)!;
        expect(t.bid).toBeLessThan(t.ask);
        expect(Number.isFinite(t.time)).toBe(true);
      }
    }
  });

  it("candles (mid, UNIX and RFC 3339 times)", () => {
    const a = parses(S.candlesResponse, asyncV20("static.get_candles_response"));
    expect(a.candles).toHaveLength(500);
    expect(a.candles[0]!.time).toBe(1509126185000);
    expect(a.candles[0]!.mid).toEqual({ o: 0.76596, h: 0.76596, l: 0.76596, c: 0.76596 });
    const b = parses(S.candlesResponse, asyncV20("json_data.GETInstrumentsCandles_response"));
    expect(b.candles[0]!.time).toBe(Date.parse("2017-12-20T03:55:05Z"));
    parses(S.candlesResponse, pyV20("instruments", "_v3_instruments_instrument_candles"));
    // and become the pipeline's candles with OANDA's mid
    expect(candlesFromClient(b.candles)[0]).toEqual({ time: Date.UTC(2017, 11, 20, 3, 55, 5), mid: { open: 0.76589, high: 0.76589, low: 0.76589, close: 0.76589 }, volume: 1, complete: true });
    const seeds = candlesFromClient(a.candles);
    expect(seeds.every((c, i) => i === 0 || c.time >= seeds[i - 1]!.time)).toBe(true);
  });

  it("a real MARKET order cancelled with MARKET_HALTED maps to a cancel, not a fill", () => {
    const o = outcomeFromOrderResponse(201, asyncV20("static.create_order_response"));
    expect(o).toMatchObject({ kind: "cancelled", reason: "MARKET_HALTED", orderId: "4877", transactionId: "4878" });
  });

  it("real trade-close responses with ORDER_FILL map to fills with price and units", () => {
    const all = asyncV20("static.close_all_trades_response") as Record<string, unknown>;
    const bodies = Object.values(all);
    expect(bodies.length).toBe(40);
    for (const body of bodies) {
      const o = outcomeFromOrderResponse(200, body);
      expect(o.kind).toBe("filled");
      if (o.kind !== "filled") continue;
      expect(o.price).toBeGreaterThan(0);
      expect(o.units).toBeGreaterThan(0);
      expect(o.tradeIds.length).toBeGreaterThan(0);
    }
  });

  it("a real 400 LIMIT_ORDER_REJECT body maps to rejected with its error code", () => {
    const bodies = readSharedJson<Record<string, unknown>>("oanda", "ccxt-comments", "error_bodies.json");
    const o = outcomeFromOrderResponse(400, bodies.limit_order_reject_UNITS_INVALID_http400_body);
    expect(o).toMatchObject({ kind: "rejected", reason: "UNITS_INVALID", errorCode: "UNITS_INVALID", httpStatus: 400 });
    expect(outcomeFromOrderResponse(400, bodies.bad_instrument_body)).toMatchObject({ kind: "rejected", reason: "Invalid value specified for 'instrument'" });
    parses(S.orderRejectTransaction, asyncV20("json_data.example_market_order_reject_transaction"));
  });

  it("order create (LIMIT) and order details", () => {
    const c = parses(S.orderCreateResponse, pyV20("orders", "_v3_accounts_accountID_orders_create"));
    expect(c.orderCreateTransaction?.id).toBe("2304");
    const d = parses(S.orderResponse, pyV20("orders", "_v3_accounts_accountID_order_details"));
    expect(d.order).toMatchObject({ id: "2309", state: "PENDING" });
  });

  it("transactions: sinceid, range, 80 examples, cancel", () => {
    const a = parses(S.transactionsResponse, pyV20("transactions", "_v3_accounts_transaction_sinceid"));
    expect(a.transactions.map((t) => t.id)).toEqual(["2307", "2308", "2309", "2310", "2311"].slice(0, a.transactions.length));
    parses(S.transactionsResponse, asyncV20("static.transaction_range_response"));
    const ex = asyncV20("json_data.example_transactions") as unknown[];
    expect(ex).toHaveLength(80);
    for (const t of ex) parses(S.transaction, t);
    expect(parses(S.orderCancelTransaction, asyncV20("json_data.order_cancel_transaction_json_dict")).reason).toBeTruthy();
  });

  it("position close (long side filled)", () => {
    const c = parses(S.positionCloseResponse, asyncV20("static.close_position_response"));
    expect(c.longOrderFillTransaction).toMatchObject({ price: 0.75069, units: -1, orderID: "7153" });
    parses(S.positionCloseResponse, pyV20("positions", "_v3_accounts_accountID_position_close"));
  });

  it("trade close answers (oandapyV20 partial-by-units, async_v20 close-all) parse and map to fills naming the trade", () => {
    const py = parses(S.tradeCloseResponse, pyV20("trades", "_v3_account_accountID_trades_close"));
    expect(py.orderCreateTransaction).toMatchObject({ reason: "TRADE_CLOSE", tradeClose: { tradeID: "2313", units: 100 } });
    expect(outcomeFromOrderResponse(200, pyV20("trades", "_v3_account_accountID_trades_close"))).toMatchObject({ kind: "filled", tradeIds: ["2313"], units: 100, price: 1.09289, lastTransactionID: "2317" });
    const all = readSharedJson<Record<string, unknown>>("oanda", "async_v20", "static.close_all_trades_response.json");
    expect(Object.keys(all)).toHaveLength(40);
    for (const [tradeId, body] of Object.entries(all)) {
      const r = parses(S.tradeCloseResponse, body);
      // async_v20 recorded integer trade ids; the schema reads them as OANDA's string ids.
      expect(r.orderCreateTransaction?.tradeClose).toEqual({ tradeID: tradeId, units: "ALL" });
      expect(outcomeFromOrderResponse(200, body)).toMatchObject({ kind: "filled", tradeIds: [tradeId], units: 1 });
    }
  });

  it("trade-close fills are picked out of recorded transaction lists by trade id", () => {
    const range = parses(S.transactionsResponse, asyncV20("static.transaction_range_response"));
    expect(tradeCloseFillsIn(range.transactions, "43", range.lastTransactionID)).toMatchObject([{ kind: "filled", transactionId: "66", tradeIds: ["43"] }]);
    expect(tradeCloseFillsIn(range.transactions, "61")).toEqual([]); // 61 is the MARKET_ORDER, not a trade
    const changes = asyncV20("static.account_changes_response") as { changes: { transactions: unknown[] } };
    expect(tradeCloseFillsIn(changes.changes.transactions, "10449")).toMatchObject([{ transactionId: "10467", units: 1 }]);
  });

  it("pricing stream lines: the recorded EUR_USD stream (Python floats for liquidity) and samples", () => {
    const lines = readShared("oanda", "oandapyV20-stream-testdata", "test_ticks.txt").split("\n").filter((l) => l.trim());
    const parsed = lines.map((l) => parses(S.pricingStreamLine, JSON.parse(l)));
    expect(parsed.filter((m) => m.type === "PRICE")).toHaveLength(27);
    expect(parsed.filter((m) => m.type === "HEARTBEAT")).toHaveLength(22);
    const first = parsed[0]!;
    expect(first.type).toBe("PRICE");
    if (first.type === "PRICE") expect(tickFromPrice(first, 1)).toEqual({ instrument: "EUR_USD", bid: 1.05794, ask: 1.05806, time: Date.parse("2017-02-23T20:57:21.215Z"), receivedAt: 1, tradeable: true });
    for (const body of [asyncV20("static.price_stream"), asyncV20("json_data.stream_price"), asyncV20("json_data.stream_price_heartbeat"), ...(pyV20("pricing", "_v3_accounts_accountID_pricing_stream") as unknown[])]) {
      parses(S.pricingStreamLine, body);
    }
  });

  it("transaction stream lines: heartbeats with lastTransactionID and a MARKET_ORDER", () => {
    const hb = parses(S.transactionStreamLine, asyncV20("json_data.stream_transaction_heartbeat"));
    expect(hb.type).toBe("HEARTBEAT");
    const tx = parses(S.transactionStreamLine, asyncV20("json_data.stream_transaction"));
    expect(tx).toMatchObject({ id: "16389", type: "MARKET_ORDER" });
    for (const l of pyV20("transactions", "_v3_accounts_transactions_stream") as unknown[]) {
      expect(parses(S.transactionStreamLine, l)).toMatchObject({ type: "HEARTBEAT", lastTransactionID: "2311" });
    }
  });
});
