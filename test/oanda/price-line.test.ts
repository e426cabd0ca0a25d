// The pricing stream's fast path gives the same tick as the schema path for every line, and
// a line it does not recognise still gets the schema's verdict (a tick, or a named reason).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parsePricingLine, parsePricingLineSlow } from "../../src/oanda/price-line.ts";
import { readShared, hasSharedData } from "../helpers/shared-data.ts";

const decimalText = fc.tuple(fc.double({ min: 0.5, max: 300, noNaN: true }), fc.integer({ min: 0, max: 5 })).map(([x, d]) => x.toFixed(d));
const level = fc.record({ price: fc.oneof(decimalText, fc.double({ min: 0.5, max: 300, noNaN: true })), liquidity: fc.option(fc.oneof(fc.constant(1000000), fc.constant("250000"), fc.constant(1e7)), { nil: undefined }) }, { requiredKeys: ["price"] });
const time = fc.constantFrom("2017-02-23T20:57:21.215739156Z", "2026-11-23T21:00:00Z", "2024-02-29T23:59:59.9Z", "2017-01-01T09:00:00+09:00", "1509281144.757577547");

const priceLine = fc.record({
  type: fc.constant("PRICE"),
  time,
  instrument: fc.constantFrom("USD_JPY", "EUR_USD"),
  bids: fc.array(level, { maxLength: 3 }),
  asks: fc.array(level, { maxLength: 3 }),
  closeoutBid: fc.option(decimalText, { nil: undefined }),
  closeoutAsk: fc.option(decimalText, { nil: undefined }),
  status: fc.option(fc.constantFrom("tradeable", "non-tradeable"), { nil: undefined }),
  tradeable: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ["type", "time", "instrument", "bids", "asks"] });

/** Valid lines with one field broken in some way. */
const broken = fc.tuple(priceLine, fc.constantFrom("time", "bids", "asks", "instrument", "tradeable", "closeoutBid", "type"), fc.constantFrom<unknown>(null, 5, "x", [], {}, "-1", "1e3", [{ price: "x" }], [[1]], true)).map(([p, k, v]) => ({ ...p, [k]: v }));
const heartbeat = fc.record({ type: fc.constant("HEARTBEAT"), time });

describe("parsePricingLine", () => {
  it("property: the fast path and the schema path give the same result for valid, broken and heartbeat lines", () => {
    fc.assert(fc.property(fc.oneof(priceLine, broken, heartbeat), fc.integer({ min: 0, max: 2e12 }), (obj, receivedAt) => {
      const line = JSON.stringify(obj);
      expect(parsePricingLine(line, receivedAt)).toEqual(parsePricingLineSlow(JSON.parse(line), line, receivedAt));
    }), { numRuns: 1_000 });
  });

  it("a bad line is named: invalid JSON, a broken PRICE, a price without any book", () => {
    expect(parsePricingLine("{nope", 1)).toMatchObject({ kind: "malformed", reason: "invalid_json" });
    expect(parsePricingLine(JSON.stringify({ type: "PRICE", time: "2026-11-23T21:00:00Z", instrument: "USD_JPY", bids: [{ price: "abc" }], asks: [] }), 1)).toMatchObject({ kind: "malformed", reason: "invalid_PRICE" });
    expect(parsePricingLine(JSON.stringify({ type: "PRICE", time: "2026-11-23T21:00:00Z", instrument: "USD_JPY", bids: [], asks: [] }), 1)).toMatchObject({ kind: "malformed", reason: "price_without_book" });
    expect(parsePricingLine(JSON.stringify({ type: "SURPRISE" }), 1)).toMatchObject({ kind: "malformed", reason: "invalid_SURPRISE" });
  });

  it.skipIf(!hasSharedData)("OANDA's recorded stream lines read the same through both paths", () => {
    const lines = readShared("oanda", "oandapyV20-stream-testdata", "test_ticks.txt").split("\n").filter((l) => l.trim());
    for (const l of lines) {
      const fast = parsePricingLine(l, 7);
      expect(fast.kind).not.toBe("malformed");
      expect(fast).toEqual(parsePricingLineSlow(JSON.parse(l), l, 7));
    }
  });
});
