import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decimalAt, digitsAt, forEachDataLineFast, stoppedAt } from "../../src/marketdata/fast-fields.ts";
import { forEachDataLine, isHeader } from "../../src/marketdata/read-tick-csv.ts";
import { DECLINED, fastTimestamp } from "../../src/marketdata/timestamp.ts";
import { parseLeanTickCsv } from "../../src/marketdata/read-tick-csv.ts";
import { parseFxcmBidAsk } from "../../src/marketdata/read-bars.ts";

/** Decimal-looking text: digits, at most one point, sometimes something else around it. */
const decimalText = fc.oneof(
  fc.tuple(fc.stringMatching(/^[0-9]{0,18}$/), fc.option(fc.stringMatching(/^[0-9]{0,18}$/), { nil: undefined })).map(([a, b]) => (b === undefined ? a : `${a}.${b}`)),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map(String),
  fc.string({ maxLength: 12 }),
);

describe("the readers' fast path", () => {
  it("reads a decimal field as Number() does, or declines", () => {
    fc.assert(
      fc.property(decimalText, fc.constantFrom("", ",", ",1", "\n"), (field, after) => {
        const s = `x${field}${after}`;
        const v = decimalAt(s, 1, s.length);
        if (v < 0) return;
        // Declining is always allowed; accepting must be exact, and stop at the field's end.
        if (stoppedAt === 1 + field.length) expect(v).toBe(Number(field));
      }),
      { numRuns: 20_000 },
    );
  });

  it("reads plain digits as Number() does, or declines", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{0,20}[,a ]?$/), (s) => {
        const v = digitsAt(s, 0, s.length);
        if (v >= 0 && /^[0-9]+$/.test(s.slice(0, stoppedAt))) expect(v).toBe(Number(s.slice(0, stoppedAt)));
        if (v >= 0) expect(stoppedAt).toBeGreaterThan(0);
      }),
      { numRuns: 5_000 },
    );
  });

  it("reads a timestamp inside a line as it reads the same characters alone", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(1990, 0, 1), max: new Date(2040, 0, 1), noInvalidDate: true }), fc.constantFrom("", "+00:00", "Z", ".5", ".295000+00:00", "+0930", "+09:0"), (d, tail) => {
        const field = d.toISOString().slice(0, 19).replace("T", " ") + tail;
        const line = `${field},1.5,2`;
        const inLine = fastTimestamp(line, 0, field.length);
        expect(inLine).toBe(fastTimestamp(field));
        if (inLine !== DECLINED) expect(inLine).not.toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it("offers every data line forEachDataLine gives, in order, once: fast where it lies or slow as the trimmed line", () => {
    const line = fc.oneof(fc.constantFrom("", " ", "\r", "timestamp,open", "1,2,3", " 1,2,3 ", "1,2,3\r", "\t1,2", "\uFEFF1,2", "a,b"), fc.string({ maxLength: 10 }).filter((x) => !x.includes("\n")));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.boolean(), (ls, fastTakes) => {
        const text = ls.join("\n");
        const want: string[] = [];
        const wantRows = forEachDataLine(text, (l) => want.push(l));
        const got: string[] = [];
        const rows = forEachDataLineFast(text, (s, a, b) => {
          if (!fastTakes) return false;
          got.push(s.slice(a, b));
          return true;
        }, (l) => got.push(l), isHeader);
        expect(rows).toBe(wantRows);
        expect(got).toEqual(want);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe("readers with the fast path give what the general reader gives", () => {
  it("LEAN tick rows, odd ones among plain ones", () => {
    const s = parseLeanTickCsv(["1000,1.38694,1.38705", " 2000,1.5,1.6", "3000,1.38692,1.38690", "4000,1e0,1.1", "5000,0,1", "6000,1.2", "x,1,2", "7000,1.2,1.3,extra", "8000,.5,.6", "9000,1.,2.", "500,1.1,1.2", "10000,00001.5,1.7"].join("\r\n"), 0, "EUR_USD");
    expect(s.ticks.map((t) => [t.time, t.bid, t.ask])).toEqual([[1000, 1.38694, 1.38705], [2000, 1.5, 1.6], [4000, 1, 1.1], [7000, 1.2, 1.3], [8000, 0.5, 0.6], [9000, 1, 2], [10000, 1.5, 1.7]]);
    expect(s.skipped).toEqual({ crossed: 1, unparseable: 3, out_of_order: 1 });
    expect(s.rows).toBe(12);
  });

  it("FXCM rows, odd ones among plain ones", () => {
    const head = "timestamp,open,high,low,close";
    const bid = [head, "2013-02-01 00:00:00+00:00,91.715,91.72,91.653,91.653", "2013-02-01 00:01:00+00:00, 91.653,91.707,91.653,91.661", "2013-02-01T00:02:00Z,91.6,91.7,91.5,91.65,extra", "2013-02-01 00:03:00+00:00,91.6,91.7,91.5", "2013-02-01 00:04:00+00:00,0,91.7,91.5,91.6"].join("\n");
    const ask = [head, "2013-02-01 00:00:00+00:00,91.73,91.74,91.66,91.67", "2013-02-01 00:01:00+00:00,91.67,91.72,91.66,91.68", "2013-02-01 00:02:00+00:00,91.62,91.72,91.52,91.66", "2013-02-01 00:03:00+00:00,91.62,91.72,91.52,91.66", "2013-02-01 00:04:00+00:00,91.62,91.72,91.52,91.66"].join("\n");
    const s = parseFxcmBidAsk(bid, ask, "USD_JPY");
    expect(s.bars).toBe(3);
    expect(s.skipped).toEqual({ unparseable: 2, ask_bar_without_bid: 2 });
    expect(s.ticks[4]).toEqual({ instrument: "USD_JPY", time: Date.UTC(2013, 1, 1, 0, 1), bid: 91.653, ask: 91.67 });
    expect(s.ticks).toHaveLength(12);
  });
});
