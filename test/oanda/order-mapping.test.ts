// The money-critical translation, without a server.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { boundPrice, orderBodyOrRejection, outcomeFromOrderResponse, toOandaOrderBody, tradeCloseUnits } from "../../src/oanda/order-mapping.ts";
import { defaultInstruments } from "../../src/core/instruments.ts";

const usdjpy = defaultInstruments().get("USD_JPY");
const eurusd = defaultInstruments().get("EUR_USD");

describe("priceBound rounding", () => {
  it("never loosens the bound the gate asked for", () => {
    fc.assert(fc.property(fc.double({ min: 0.5, max: 300, noNaN: true }), fc.constantFrom("buy" as const, "sell" as const), fc.constantFrom(usdjpy, eurusd), (p, side, spec) => {
      const b = Number(boundPrice(p, side, spec));
      const tol = 1e-9 * p;
      if (side === "buy") expect(b).toBeLessThanOrEqual(p + tol);
      else expect(b).toBeGreaterThanOrEqual(p - tol);
      expect(Math.abs(b - p)).toBeLessThan(10 ** -spec.displayPrecision + tol);
    }));
  });
  it("keeps exact prices exact despite binary noise", () => {
    expect(boundPrice(157.123, "buy", usdjpy)).toBe("157.123");
    expect(boundPrice(1.08123, "sell", eurusd)).toBe("1.08123");
  });
});

describe("units", () => {
  it("sign follows the side and the magnitude is kept", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom("buy" as const, "sell" as const), (u, side) => {
      const { order } = toOandaOrderBody({ clientId: "sk-x", instrument: "USD_JPY", side, units: u, timeInForce: "FOK", positionFill: "REDUCE_ONLY", tag: "t", comment: "" }, usdjpy);
      expect(Number(order.units)).toBe(side === "buy" ? u : -u);
      expect(order.units).toMatch(/^-?\d+$/);
      expect(order.type).toBe("MARKET");
    }));
  });
});

describe("order body or rejection", () => {
  const req = { clientId: "sk-x", instrument: "USD_JPY", side: "buy" as const, units: 1_000, timeInForce: "FOK" as const, positionFill: "OPEN_ONLY" as const, tag: "t", comment: "" };
  it("gives the body to send, or a rejection saying why when nothing may be sent", () => {
    expect(orderBodyOrRejection(req, () => usdjpy)).toEqual({ body: toOandaOrderBody(req, usdjpy) });
    expect(orderBodyOrRejection({ ...req, units: 0 }, () => usdjpy)).toEqual({
      rejected: { kind: "rejected", reason: "INVALID_REQUEST: units must be a positive number (got 0)", errorCode: "INVALID_REQUEST", httpStatus: 0, raw: { error: "units must be a positive number (got 0)" } },
    });
    // An instrument the table does not know is refused with the table's own words.
    const unknown = orderBodyOrRejection({ ...req, instrument: "GOLD" }, () => defaultInstruments().get("GOLD"));
    expect(unknown).toMatchObject({ rejected: { kind: "rejected", errorCode: "INVALID_REQUEST", httpStatus: 0 } });
    expect("rejected" in unknown && unknown.rejected.reason).not.toMatch(/^INVALID_REQUEST:/);
  });
});

describe("outcomes", () => {
  const fill = { id: "12", type: "ORDER_FILL", time: "2024-01-01T00:00:00Z", orderID: "11", instrument: "USD_JPY", units: "-3000", price: "157.100", tradeReduced: { tradeID: "5", units: "-3000" } };
  const cancel = { id: "13", type: "ORDER_CANCEL", time: "2024-01-01T00:00:00Z", orderID: "11", reason: "FIFO_VIOLATION_SAFEGUARD_VIOLATION" };
  it("IOC partial fill (fill and cancel together) is a fill of the filled units", () => {
    expect(outcomeFromOrderResponse(201, { orderFillTransaction: fill, orderCancelTransaction: cancel, lastTransactionID: "13" })).toMatchObject({ kind: "filled", units: 3000, price: 157.1, tradeIds: ["5"], lastTransactionID: "13" });
  });
  it("a 201 with neither fill nor cancel, or an unreadable 201, is unknown (look it up)", () => {
    expect(outcomeFromOrderResponse(201, { orderCreateTransaction: { id: "11", type: "MARKET_ORDER", time: "2024-01-01T00:00:00Z" } }).kind).toBe("unknown");
    expect(outcomeFromOrderResponse(201, { orderFillTransaction: { ...fill, price: "NaN" } }).kind).toBe("unknown");
    expect(outcomeFromOrderResponse(201, "<html>").kind).toBe("unknown");
  });
  it("5xx and 408 are unknown; 4xx are rejections", () => {
    for (const s of [500, 502, 503, 504, 408]) expect(outcomeFromOrderResponse(s, { errorMessage: "x" }).kind).toBe("unknown");
    expect(outcomeFromOrderResponse(404, { orderRejectTransaction: { type: "MARKET_ORDER_REJECT", rejectReason: "INSTRUMENT_NOT_TRADEABLE" } })).toMatchObject({ kind: "rejected", reason: "INSTRUMENT_NOT_TRADEABLE", httpStatus: 404 });
    expect(outcomeFromOrderResponse(401, { errorMessage: "Insufficient authorization" })).toMatchObject({ kind: "rejected", httpStatus: 401 });
  });
});

describe("trade close units", () => {
  it("a positive magnitude is sent as a plain decimal that reads back as the same number", () => {
    fc.assert(fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (u) => {
      const r = tradeCloseUnits("42", u);
      if (!("units" in r)) return expect.unreachable();
      expect(r.units).toMatch(/^\d+(\.\d+)?$/);
      if (Number(r.units) !== u) expect(Math.abs(Number(r.units) - u)).toBeLessThan(1e-10 * Math.max(1, u)); // beyond 10 decimals
    }));
    expect(tradeCloseUnits("@sk-1", "ALL")).toEqual({ units: "ALL" });
    expect(tradeCloseUnits("42", 1500)).toEqual({ units: "1500" });
  });

  it("bad input is a rejection, so nothing is sent", () => {
    for (const [id, u] of [["", 1], ["@", 1], ["42", 0], ["42", -5], ["42", Number.NaN], ["42", Number.POSITIVE_INFINITY]] as const) {
      expect(tradeCloseUnits(id, u)).toMatchObject({ rejected: { kind: "rejected", errorCode: "INVALID_REQUEST", httpStatus: 0 } });
    }
  });
});
