// The replay readers: each format on a small inline sample (times, prices, skips with reasons),
// the bar expansion rule (fast-check), and the real files in ../shared/data.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTrueFxCsv, parseLeanTickCsv } from "../../src/marketdata/read-tick-csv.ts";
import { expandBar, parseFxcmBidAsk, parseLeanQuoteBars } from "../../src/marketdata/read-bars.ts";
import { parsePricingNdjson } from "../../src/marketdata/read-ndjson.ts";
import { detectFormat, readTicks } from "../../src/marketdata/read.ts";
import { parseTimestamp, ReplayInputError } from "../../src/marketdata/ticks.ts";
import { hasSharedData, sharedPath } from "../helpers/shared-data.ts";

const MAY1 = Date.UTC(2014, 4, 1);

describe("timestamps", () => {
  it("reads the layouts the sources use, all as UTC", () => {
    expect(parseTimestamp("2013-02-01 00:00:00+00:00")).toBe(Date.UTC(2013, 1, 1));
    expect(parseTimestamp("2013-01-01 22:00:00.295000+00:00")).toBe(Date.UTC(2013, 0, 1, 22, 0, 0, 295));
    expect(parseTimestamp("2017-02-23T20:57:21.215739156Z")).toBe(Date.UTC(2017, 1, 23, 20, 57, 21, 215));
    expect(parseTimestamp("2013-02-01T09:00:00+09:00")).toBe(Date.UTC(2013, 1, 1, 0, 0, 0));
    expect(parseTimestamp("yesterday")).toBeUndefined();
  });
});

describe("TrueFX / nautilus tick CSV", () => {
  it("reads ISO rows and TrueFX native rows; crossed and broken rows are skipped with their reason", () => {
    const s = parseTrueFxCsv(
      "timestamp,bid,ask\n2013-01-01 22:00:00.295000+00:00,86.655,86.728\n2013-01-01 22:00:01.000000+00:00,86.700,86.690\nnot,a,row\nUSD/JPY,20130101 22:00:02.500,86.657,86.728\n",
      "USD_JPY",
    );
    expect(s.format).toBe("truefx-csv");
    expect(s.rows).toBe(4);
    expect(s.ticks).toEqual([
      { instrument: "USD_JPY", time: Date.UTC(2013, 0, 1, 22, 0, 0, 295), bid: 86.655, ask: 86.728 },
      { instrument: "USD_JPY", time: Date.UTC(2013, 0, 1, 22, 0, 2, 500), bid: 86.657, ask: 86.728 },
    ]);
    expect(s.skipped).toEqual({ crossed: 1, unparseable: 1 });
  });

  it("drops a tick that would move the data's clock backwards", () => {
    const s = parseTrueFxCsv("2013-01-01 22:00:05+00:00,1.1,1.2\n2013-01-01 22:00:04+00:00,1.1,1.2\n2013-01-01 22:00:06+00:00,1.1,1.2\n", "EUR_USD");
    expect(s.ticks.map((t) => t.time % 60_000)).toEqual([5_000, 6_000]);
    expect(s.skipped).toEqual({ out_of_order: 1 });
  });
});

describe("LEAN", () => {
  it("tick rows are milliseconds since the file's UTC midnight", () => {
    const s = parseLeanTickCsv("0,1.38700,1.38710\r\n1500,1.38702,1.38712\r\n", MAY1, "EUR_USD");
    expect(s.ticks).toEqual([
      { instrument: "EUR_USD", time: MAY1, bid: 1.387, ask: 1.3871 },
      { instrument: "EUR_USD", time: MAY1 + 1500, bid: 1.38702, ask: 1.38712 },
    ]);
  });

  it("minute quote bars become four ticks each, spaced 15 s, extremes in the bar's direction", () => {
    // An up bar (open 1.3870 -> close 1.3875) and a down bar.
    const text = "60000,1.3870,1.3880,1.3865,1.3875,0,1.3871,1.3881,1.3866,1.3876,0\r\n120000,1.3875,1.3878,1.3860,1.3862,0,1.3876,1.3879,1.3861,1.3863,0\r\n";
    const s = parseLeanQuoteBars(text, MAY1, "EUR_USD");
    expect(s.bars).toBe(2);
    expect(s.ticks.map((t) => [t.time - MAY1, t.bid, t.ask])).toEqual([
      [60_000, 1.387, 1.3871], [75_000, 1.3865, 1.3866], [90_000, 1.388, 1.3881], [105_000, 1.3875, 1.3876],
      [120_000, 1.3875, 1.3876], [135_000, 1.3878, 1.3879], [150_000, 1.386, 1.3861], [165_000, 1.3862, 1.3863],
    ]);
  });

  it("second bars are spaced within their second", () => {
    const s = parseLeanQuoteBars("1000,1,1,1,1,0,1.1,1.1,1.1,1.1,0\n2000,1,1,1,1,0,1.1,1.1,1.1,1.1,0\n", MAY1, "EUR_USD");
    expect(s.ticks.slice(0, 4).map((t) => t.time - MAY1)).toEqual([1000, 1250, 1500, 1750]);
  });
});

describe("FXCM bid/ask minute pair", () => {
  const bid = "timestamp,open,high,low,close\n2013-02-25 20:29:00+00:00,91.926,91.968,91.626,91.633\n2013-02-25 20:30:00+00:00,91.633,91.648,91.039,91.039\n2013-02-25 20:31:00+00:00,91.039,91.355,90.975,91.165\n";
  const ask = "timestamp,open,high,low,close\n2013-02-25 20:29:00+00:00,91.930,91.972,91.630,91.640\n2013-02-25 20:30:00+00:00,91.640,91.652,91.043,91.030\n";

  it("pairs bars by timestamp, skips crossed ticks (never invents a price) and counts them", () => {
    const s = parseFxcmBidAsk(bid, ask, "USD_JPY");
    expect(s.bars).toBe(2);
    // 20:30 closes with ask 91.030 below bid 91.039: that one tick is skipped, the bar's other three stay.
    expect(s.ticks).toHaveLength(7);
    expect(s.crossedBars).toBe(1);
    expect(s.skipped).toEqual({ bid_bar_without_ask: 1, crossed: 1 });
    expect(s.ticks.every((t) => t.ask >= t.bid)).toBe(true);
    // A down bar: open, high, low, close.
    expect(s.ticks.slice(0, 4).map((t) => t.bid)).toEqual([91.926, 91.968, 91.626, 91.633]);
  });
});

describe("pricing-stream NDJSON", () => {
  it("takes PRICE lines at the top of book, skips heartbeats, keeps the tradeable flag", () => {
    const text = [
      `{"type":"PRICE","instrument":"USD_JPY","time":"2024-05-01T00:00:00.123456789Z","bids":[{"price":"157.001","liquidity":1000000}],"asks":[{"price":"157.009","liquidity":1000000}],"tradeable":true}`,
      `{"type":"HEARTBEAT","time":"2024-05-01T00:00:05.000000000Z"}`,
      `{"type":"PRICE","instrument":"USD_JPY","time":"2024-05-01T00:00:06.000000000Z","bids":[{"price":"157.002"}],"asks":[{"price":"157.010"}],"status":"non-tradeable"}`,
      `{garbage`,
    ].join("\n");
    const s = parsePricingNdjson(text);
    expect(s.instrument).toBe("USD_JPY");
    expect(s.ticks).toEqual([
      { instrument: "USD_JPY", time: Date.UTC(2024, 4, 1, 0, 0, 0, 123), bid: 157.001, ask: 157.009, tradeable: true },
      { instrument: "USD_JPY", time: Date.UTC(2024, 4, 1, 0, 0, 6), bid: 157.002, ask: 157.01, tradeable: false },
    ]);
    expect(s.skipped).toEqual({ heartbeat: 1, unparseable: 1 });
  });
});

describe("bar expansion (property)", () => {
  const ohlc = fc.tuple(fc.integer({ min: 100, max: 200 }), fc.integer({ min: 100, max: 200 }), fc.integer({ min: 100, max: 200 }), fc.integer({ min: 100, max: 200 })).map(([a, b, c, d]) => {
    const h = Math.max(a, b, c, d);
    const l = Math.min(a, b, c, d);
    return { o: a, h, l, c: d };
  });
  it("opens at the open, closes at the close, visits both extremes in the bar's direction, inside the bar", () => {
    fc.assert(
      fc.property(ohlc, fc.constantFrom(1_000, 60_000), (b, period) => {
        const ask = { o: b.o + 1, h: b.h + 1, l: b.l + 1, c: b.c + 1 };
        const ts = expandBar({ time: 0, bid: b, ask }, period, "USD_JPY");
        expect(ts).toHaveLength(4);
        expect(ts[0]!.bid).toBe(b.o);
        expect(ts[3]!.bid).toBe(b.c);
        expect(ts.every((t, i) => t.time >= 0 && t.time < period && (i === 0 || t.time > ts[i - 1]!.time))).toBe(true);
        const middle = [ts[1]!.bid, ts[2]!.bid];
        expect(middle).toEqual(b.c >= b.o ? [b.l, b.h] : [b.h, b.l]);
      }),
    );
  });
});

describe("format detection and unreadable files", () => {
  it("tells each format from its first line", () => {
    expect(detectFormat("timestamp,bid,ask\n2013-01-01 22:00:00.295000+00:00,86.655,86.728\n", "x.csv", false)).toBe("truefx-csv");
    expect(detectFormat("0,1.387,1.3871\r\n", "20140501_quote.zip", false)).toBe("lean-tick");
    expect(detectFormat("0,1,1,1,1,0,1,1,1,1,0\r\n", "20140501_quote.zip", false)).toBe("lean-quote-bar");
    expect(detectFormat("timestamp,open,high,low,close\n", "bid.csv", true)).toBe("fxcm-bid-ask");
    expect(detectFormat(`{"type":"HEARTBEAT"}\n`, "s.ndjson", false)).toBe("oanda-ndjson");
    expect(detectFormat("hello world\n", "notes.txt", false)).toBeUndefined();
  });

  it("a file it cannot read is one clear error naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "sekisho-replay-"));
    try {
      const junk = join(dir, "junk.txt");
      writeFileSync(junk, "hello world\nnothing here\n");
      expect(() => readTicks({ ticksPath: junk, instrument: "USD_JPY" })).toThrow(ReplayInputError);
      expect(() => readTicks({ ticksPath: junk, instrument: "USD_JPY" })).toThrow(/junk\.txt: cannot tell the format .*--format/);
      expect(() => readTicks({ ticksPath: join(dir, "missing.csv"), instrument: "USD_JPY" })).toThrow(/missing\.csv: file not found/);
      const badZip = join(dir, "20140501_quote.zip");
      writeFileSync(badZip, "PK? not really");
      expect(() => readTicks({ ticksPath: badZip, instrument: "EUR_USD" })).toThrow(/20140501_quote\.zip: cannot read it \(not a zip file\)/);
      const bidOnly = join(dir, "bid.csv");
      writeFileSync(bidOnly, "timestamp,open,high,low,close\n2013-02-25 20:29:00+00:00,91.926,91.968,91.626,91.633\n");
      expect(() => readTicks({ ticksPath: bidOnly, instrument: "USD_JPY" })).toThrow(/--ask-file/);
      const allCrossed = join(dir, "crossed.csv");
      writeFileSync(allCrossed, "timestamp,bid,ask\n2013-01-01 22:00:00+00:00,86.7,86.6\n");
      expect(() => readTicks({ ticksPath: allCrossed, instrument: "USD_JPY" })).toThrow(/no usable ticks as truefx-csv \(1 rows; 1 crossed\)/);
      for (const p of [junk, badZip, bidOnly, allCrossed]) {
        try {
          readTicks({ ticksPath: p, instrument: "USD_JPY" });
        } catch (e) {
          expect((e as Error).message).not.toContain("\n");
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasSharedData)("real files in ../shared/data", () => {
  it("TrueFX USD/JPY ticks: 1,000 rows from the 2013 New Year reopen", () => {
    const s = readTicks({ ticksPath: sharedPath("usdjpy", "nautilus_trader", "truefx", "usdjpy-ticks.csv"), instrument: "USD_JPY" });
    expect(s.format).toBe("truefx-csv");
    expect(s.rows).toBe(1000);
    expect(s.ticks).toHaveLength(1000);
    expect(s.ticks[0]).toEqual({ instrument: "USD_JPY", time: Date.UTC(2013, 0, 1, 22, 0, 0, 295), bid: 86.655, ask: 86.728 });
    expect(s.ticks.at(-1)!.time).toBe(Date.UTC(2013, 0, 1, 22, 35, 13, 494));
  });

  it("a LEAN EUR/USD tick zip: the day from the file name, ticks inside it", () => {
    const s = readTicks({ ticksPath: sharedPath("eurusd", "lean_oanda", "tick", "eurusd", "20140504_quote.zip"), instrument: "EUR_USD" });
    expect(s.format).toBe("lean-tick");
    expect(s.rows).toBe(1164);
    expect(s.ticks).toHaveLength(1164);
    // SOURCES.md: 2014-05-04 21:00:00 (the Sunday open) to 23:59:48.
    expect(s.ticks[0]!.time).toBeGreaterThanOrEqual(Date.UTC(2014, 4, 4, 21, 0, 0));
    expect(s.ticks[0]!.time).toBeLessThan(Date.UTC(2014, 4, 4, 21, 0, 1));
    expect(s.ticks.at(-1)!.time).toBeLessThan(Date.UTC(2014, 4, 5));
    expect(s.ticks.every((t) => t.bid > 1.3 && t.ask < 1.4 && t.ask >= t.bid)).toBe(true);
  });

  it("a LEAN EUR/USD minute zip: 1,363 bars, four ticks each, 15 s apart", () => {
    const s = readTicks({ ticksPath: sharedPath("eurusd", "lean_oanda", "minute", "eurusd", "20140501_quote.zip"), instrument: "EUR_USD" });
    expect(s.format).toBe("lean-quote-bar");
    expect(s.bars).toBe(1363);
    expect(s.ticks).toHaveLength(1363 * 4 - (s.skipped.crossed ?? 0));
    expect(s.ticks[1]!.time - s.ticks[0]!.time).toBe(15_000);
    expect(s.ticks[0]!.time).toBe(Date.UTC(2014, 4, 1));
  });

  it("the FXCM USD/JPY bid/ask pair for February 2013: 28,761 bars, crossed minutes counted and skipped", () => {
    const dir = ["usdjpy", "nautilus_trader", "fxcm"];
    const s = readTicks({ ticksPath: sharedPath(...dir, "usdjpy-m1-bid-2013.csv"), askPath: sharedPath(...dir, "usdjpy-m1-ask-2013.csv"), instrument: "USD_JPY" });
    expect(s.format).toBe("fxcm-bid-ask");
    expect(s.bars).toBe(28_761);
    // SOURCES.md: 683 minutes close crossed; opens, highs and lows cross too.
    expect(s.crossedBars).toBeGreaterThanOrEqual(683);
    expect(s.ticks.length).toBe(28_761 * 4 - s.skipped.crossed!);
    expect(s.ticks.every((t) => t.ask >= t.bid)).toBe(true);
    expect(s.ticks[0]!.time).toBe(Date.UTC(2013, 1, 1));
    const low = Math.min(...s.ticks.filter((t) => t.time >= Date.UTC(2013, 1, 25, 20, 15) && t.time < Date.UTC(2013, 1, 25, 20, 31)).map((t) => t.bid));
    expect(low).toBe(91.039);
  });

  it("the oandapyV20 pricing-stream recording: 27 EUR_USD prices, 22 heartbeats skipped", () => {
    const s = readTicks({ ticksPath: sharedPath("oanda", "oandapyV20-stream-testdata", "test_ticks.txt"), instrument: "USD_JPY" });
    expect(s.format).toBe("oanda-ndjson");
    expect(s.instrument).toBe("EUR_USD");
    expect(s.ticks).toHaveLength(27);
    expect(s.skipped).toEqual({ heartbeat: 22 });
    expect(s.ticks[0]).toEqual({ instrument: "EUR_USD", time: Date.UTC(2017, 1, 23, 20, 57, 21, 215), bid: 1.05794, ask: 1.05806, tradeable: true });
  });
});
