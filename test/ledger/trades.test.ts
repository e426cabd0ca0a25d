// Trades and P/L derived from OANDA transactions: a worked example with every kind of close, and
// properties over random account histories made by a small model broker (opens, partial and full
// closes by TP, SL, closeout or order, daily financing, transfers, commission): the P/L always
// adds up to the broker's balance change, every grouping sums to the total, and the derivation
// does not depend on the order or repetition in which the transactions arrive.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregatePnl, deriveLedger, type OandaTransaction, type OrderOrigin, originLookup, PNL_GROUPINGS, sumMoney } from "../../src/ledger/index.ts";

const origin = (o: Partial<OrderOrigin> & { clientId: string }): OrderOrigin => ({
  signalId: o.clientId.replace(/^sk-/, ""), worker: "micro_multistrat", strategy: "range_break", pocket: "micro", reduceOnly: false, positionFill: "OPEN_ONLY", ...o,
});

describe("a worked example", () => {
  const T = (s: string) => `2026-03-02T${s}.000000000Z`;
  const txs: OandaTransaction[] = [
    { id: "10", type: "ORDER_FILL", time: T("09:00:00"), orderID: "9", clientOrderID: "sk-a", instrument: "USD_JPY", units: "10000", price: "150.000", reason: "MARKET_ORDER", pl: "0.0000", financing: "0.0000", commission: "0.0000", accountBalance: "500000.0000",
      tradeOpened: { tradeID: "10", units: "10000", price: "150.000", clientExtensions: { id: "sk-a", tag: "sekisho:micro:range_break" } } },
    { id: "13", type: "ORDER_FILL", time: T("09:01:00"), orderID: "12", instrument: "USD_JPY", units: "-5000", price: "149.000", reason: "MARKET_ORDER", pl: "0.0000", financing: "0.0000", accountBalance: "500000.0000",
      tradeOpened: { tradeID: "13", units: "-5000", price: "149.000" } },
    // half of trade 10 reduced by a balancer order, then the rest taken by its take profit
    { id: "15", type: "ORDER_FILL", time: T("09:02:00"), orderID: "14", clientOrderID: "sk-hedge-1", instrument: "USD_JPY", units: "-4000", price: "150.500", reason: "MARKET_ORDER", pl: "2000.0000", financing: "0.0000", accountBalance: "502000.0000",
      tradeReduced: { tradeID: "10", units: "-4000", price: "150.500", realizedPL: "2000.0000", financing: "0.0000" } },
    { id: "16", type: "DAILY_FINANCING", time: T("22:00:00"), financing: "-12.3456", accountBalance: "501987.6544",
      positionFinancings: [{ instrument: "USD_JPY", financing: "-12.3456", openTradeFinancings: [{ tradeID: 10, financing: "-10.0000" }, { tradeID: 13, financing: "-2.3456" }] }] },
    { id: "17", type: "ORDER_FILL", time: T("23:00:00"), orderID: "11", instrument: "USD_JPY", units: "-6000", price: "151.000", reason: "TAKE_PROFIT_ORDER", pl: "6000.0000", financing: "-1.0000", accountBalance: "507986.6544",
      tradesClosed: [{ tradeID: "10", units: "-6000", price: "151.000", realizedPL: "6000.0000", financing: "-1.0000" }] },
    // the manual short ends in a margin closeout
    { id: "19", type: "ORDER_FILL", time: T("23:30:00"), orderID: "18", instrument: "USD_JPY", units: "5000", price: "152.000", reason: "MARKET_ORDER_MARGIN_CLOSEOUT", pl: "-15000.0000", financing: "0.0000", accountBalance: "492986.6544",
      tradesClosed: [{ tradeID: "13", units: "5000", price: "152.000", realizedPL: "-15000.0000", financing: "0.0000" }] },
  ];
  const origins = originLookup([origin({ clientId: "sk-a" }), origin({ clientId: "sk-hedge-1", worker: "hedge_balancer", strategy: "hedge_balancer", pocket: "macro", reduceOnly: true, positionFill: "REDUCE_ONLY" })]);
  const ledger = deriveLedger(txs, origins);

  it("derives each trade: times, prices, units, pocket, strategy, how it ended, P/L and financing", () => {
    expect(ledger.trades).toEqual([
      {
        id: "13", instrument: "USD_JPY", side: "sell", units: 5000, openUnits: 0, openTime: "2026-03-02T09:01:00.000Z", openPrice: 149, openTransactionId: "13",
        openClientId: null, pocket: "manual", strategy: "manual", worker: null, state: "closed", closeTime: "2026-03-02T23:30:00.000Z", closePrice: 152,
        closedUnits: 5000, closeReason: "margin_closeout", closedBy: ["MARKET_ORDER_MARGIN_CLOSEOUT"], closeTransactionId: "19", closeClientId: null, realizedPL: -15000, financing: -2.3456, netPL: -15002.3456,
      },
      {
        id: "10", instrument: "USD_JPY", side: "buy", units: 10000, openUnits: 0, openTime: "2026-03-02T09:00:00.000Z", openPrice: 150, openTransactionId: "10",
        openClientId: "sk-a", pocket: "micro", strategy: "range_break", worker: "micro_multistrat", state: "closed", closeTime: "2026-03-02T23:00:00.000Z",
        closePrice: (4000 * 150.5 + 6000 * 151) / 10000, closedUnits: 10000, closeReason: "take_profit", closedBy: ["MARKET_ORDER", "TAKE_PROFIT_ORDER"], closeTransactionId: "17", closeClientId: null,
        realizedPL: 8000, financing: -11, netPL: 7989,
      },
    ]);
  });

  it("P/L by day splits at 17:00 New York and adds up to the balance change", () => {
    const r = aggregatePnl(ledger, "day");
    expect(r.rows.map((x) => [x.key, x.realized, x.financing, x.trades])).toEqual([
      ["2026-03-02", 2000, 0, 0], // 09:00-09:02 UTC is 04:00 New York: Monday's session
      ["2026-03-03", -9000, -13.3456, 2], // 22:00 UTC and later is past 17:00 New York: Tuesday's
    ]);
    expect(r.total.net).toBe(-7013.3456); // 492,986.6544 − 500,000: the balance change, exactly
    expect(r.total).toMatchObject({ trades: 2, wins: 1, losses: 1, winRate: 0.5, profitFactor: 7989 / 15002.3456 });
  });

  it("P/L by pocket and strategy follows the journal rows and tags", () => {
    expect(aggregatePnl(ledger, "pocket").rows.map((x) => [x.key, x.net, x.trades])).toEqual([["manual", -15002.3456, 1], ["micro", 7989, 1]]);
    expect(aggregatePnl(ledger, "strategy").rows.map((x) => x.key)).toEqual(["manual", "range_break"]);
  });

  it("max drawdown is the largest fall of the running net P/L", () => {
    // running net: +2000, +1987.6544, +7986.6544, -7013.3456 -> fall of 14,999.9999... from the top
    expect(aggregatePnl(ledger, "instrument").total.maxDrawdown).toBe(15000);
  });
});

// ------------------------------------------------------------------ a model broker for properties

type Step =
  | { k: "open"; units: number; price: number; tag: boolean }
  | { k: "close"; pick: number; pl: number; fin: number; reason: string }
  | { k: "reduce"; pick: number; frac: number; pl: number }
  | { k: "financing"; amounts: number[]; extra: number }
  | { k: "closeout"; pls: number[] }
  | { k: "transfer"; amount: number }
  | { k: "commission"; pick: number; pl: number; commission: number };

const amount = fc.integer({ min: -5_000_000, max: 5_000_000 }).map((n) => n / 10_000 * 100); // up to ±50,000.0000 at 4 dp
const smallAmount = fc.integer({ min: -200_000, max: 200_000 }).map((n) => n / 10_000);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant("open" as const), units: fc.integer({ min: 1, max: 100_000 }).chain((u) => fc.constantFrom(u, -u)), price: fc.integer({ min: 100_000, max: 200_000 }).map((p) => p / 1000), tag: fc.boolean() }),
  fc.record({ k: fc.constant("close" as const), pick: fc.nat(), pl: amount, fin: smallAmount, reason: fc.constantFrom("TAKE_PROFIT_ORDER", "STOP_LOSS_ORDER", "MARKET_ORDER", "MARKET_ORDER_TRADE_CLOSE") }),
  fc.record({ k: fc.constant("reduce" as const), pick: fc.nat(), frac: fc.double({ min: 0.1, max: 0.9, noNaN: true }), pl: amount }),
  fc.record({ k: fc.constant("financing" as const), amounts: fc.array(smallAmount, { maxLength: 8 }), extra: smallAmount }),
  fc.record({ k: fc.constant("closeout" as const), pls: fc.array(amount, { maxLength: 8 }) }),
  fc.record({ k: fc.constant("transfer" as const), amount }),
  fc.record({ k: fc.constant("commission" as const), pick: fc.nat(), pl: amount, commission: fc.integer({ min: 0, max: 50_000 }).map((n) => n / 10_000) }),
);

interface Model { txs: OandaTransaction[]; startBalance: number; balance: number; transfers: number; origins: OrderOrigin[] }

function play(steps: Step[], startMs: number, gapsMs: number[]): Model {
  const fmt = (x: number) => x.toFixed(4);
  const start = 1_000_000;
  let balance = start * 10_000; // ten-thousandths: the model keeps exact books
  let transfers = 0;
  let id = 0;
  let t = startMs;
  const open = new Map<string, { units: number }>();
  const txs: OandaTransaction[] = [];
  const origins: OrderOrigin[] = [];
  const next = (i: number) => {
    t += gapsMs[i % gapsMs.length]!;
    return { id: String(++id), time: new Date(t).toISOString().replace("Z", "000000Z") };
  };
  const pickTrade = (n: number) => {
    const ids = [...open.keys()];
    return ids.length ? ids[n % ids.length]! : undefined;
  };
  steps.forEach((s, i) => {
    const h = next(i);
    const b = () => fmt(balance / 10_000);
    const cents = (x: number) => Math.round(x * 10_000);
    if (s.k === "open") {
      const clientId = `sk-o${h.id}`;
      if (s.tag) origins.push(origin({ clientId, pocket: "scalp_fast", strategy: "tick_momentum", worker: "fast_scalp" }));
      open.set(h.id, { units: s.units });
      txs.push({ ...h, type: "ORDER_FILL", orderID: String(id - 1), ...(s.tag ? { clientOrderID: clientId } : {}), instrument: "USD_JPY", units: String(s.units), price: String(s.price), reason: "MARKET_ORDER", pl: "0.0000", financing: "0.0000", accountBalance: b(), tradeOpened: { tradeID: h.id, units: String(s.units), price: String(s.price) } });
    } else if (s.k === "close" || s.k === "commission") {
      const tid = pickTrade(s.pick);
      if (!tid) return;
      const tr = open.get(tid)!;
      open.delete(tid);
      const fin = s.k === "close" ? s.fin : 0;
      const commission = s.k === "commission" ? s.commission : 0;
      balance += cents(s.pl) + cents(fin) - cents(commission);
      txs.push({ ...h, type: "ORDER_FILL", orderID: String(id), instrument: "USD_JPY", units: String(-tr.units), price: "150.000", reason: s.k === "close" ? s.reason : "MARKET_ORDER",
        pl: fmt(s.pl), financing: fmt(fin), commission: fmt(commission), accountBalance: b(),
        tradesClosed: [{ tradeID: tid, units: String(-tr.units), price: "150.000", realizedPL: fmt(s.pl), financing: fmt(fin) }] });
    } else if (s.k === "reduce") {
      const tid = pickTrade(s.pick);
      if (!tid) return;
      const tr = open.get(tid)!;
      const cut = Math.trunc(tr.units * s.frac);
      if (cut === 0 || cut === tr.units) return;
      tr.units -= cut;
      balance += cents(s.pl);
      txs.push({ ...h, type: "ORDER_FILL", orderID: String(id), instrument: "USD_JPY", units: String(-cut), price: "150.000", reason: "MARKET_ORDER", pl: fmt(s.pl), financing: "0.0000", accountBalance: b(),
        tradeReduced: { tradeID: tid, units: String(-cut), price: "150.000", realizedPL: fmt(s.pl), financing: "0.0000" } });
    } else if (s.k === "financing") {
      const ids = [...open.keys()];
      const per = ids.map((tid, j) => ({ tradeID: Number(tid), financing: s.amounts[j % Math.max(1, s.amounts.length)] ?? 0 }));
      const position = sumMoney(per.map((p) => p.financing));
      const total = sumMoney([position, s.extra]);
      balance += cents(total);
      txs.push({ ...h, type: "DAILY_FINANCING", financing: fmt(total), accountBalance: b(),
        positionFinancings: ids.length ? [{ instrument: "USD_JPY", financing: fmt(position), openTradeFinancings: per.map((p) => ({ tradeID: p.tradeID, financing: fmt(p.financing) })) }] : [] });
    } else if (s.k === "closeout") {
      const ids = [...open.keys()];
      if (ids.length === 0) return;
      const closes = ids.map((tid, j) => ({ tradeID: tid, units: String(-open.get(tid)!.units), price: "140.000", realizedPL: fmt(s.pls[j % Math.max(1, s.pls.length)] ?? 0), financing: "0.0000" }));
      const pl = sumMoney(closes.map((c) => Number(c.realizedPL)));
      balance += cents(pl);
      for (const tid of ids) open.delete(tid);
      txs.push({ ...h, type: "ORDER_FILL", orderID: String(id), instrument: "USD_JPY", units: "0", price: "140.000", reason: "MARKET_ORDER_MARGIN_CLOSEOUT", pl: fmt(pl), financing: "0.0000", accountBalance: b(), tradesClosed: closes });
    } else {
      balance += cents(s.amount);
      transfers += cents(s.amount);
      txs.push({ ...h, type: "TRANSFER_FUNDS", amount: fmt(s.amount), accountBalance: b() });
    }
  });
  return { txs, startBalance: start, balance: balance / 10_000, transfers: transfers / 10_000, origins };
}

const history = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 60 }),
  start: fc.integer({ min: Date.parse("2025-01-01T00:00:00Z"), max: Date.parse("2027-01-01T00:00:00Z") }),
  gaps: fc.array(fc.integer({ min: 1, max: 36 * 3_600_000 }), { minLength: 1, maxLength: 5 }),
});

describe("properties over random account histories", () => {
  it("realized P/L + financing − fees = the broker's balance change (transfers aside), in every grouping", () => {
    fc.assert(fc.property(history, ({ steps, start, gaps }) => {
      const m = play(steps, start, gaps);
      const ledger = deriveLedger(m.txs, originLookup(m.origins));
      const change = sumMoney([m.balance, -m.startBalance, -m.transfers]);
      expect(ledger.transfers).toBe(m.transfers);
      for (const by of PNL_GROUPINGS) {
        const r = aggregatePnl(ledger, by);
        expect(r.total.net).toBe(change);
        expect(sumMoney(r.rows.map((x) => x.net))).toBe(change);
        expect(sumMoney(r.rows.map((x) => x.realized))).toBe(r.total.realized);
        expect(r.rows.reduce((n, x) => n + x.trades, 0)).toBe(r.total.trades);
        for (const x of [...r.rows, r.total]) {
          expect(x.wins + x.losses).toBeLessThanOrEqual(x.trades);
          expect(x.maxDrawdown).toBeGreaterThanOrEqual(0);
          if (x.winRate !== null) expect(x.winRate).toBeGreaterThanOrEqual(0);
          if (x.profitFactor !== null) expect(x.profitFactor).toBeGreaterThanOrEqual(0);
        }
      }
    }), { numRuns: 300 });
  });

  it("every trade closed is closed whole, with its realized P/L and financing summing to the trade's events", () => {
    fc.assert(fc.property(history, ({ steps, start, gaps }) => {
      const m = play(steps, start, gaps);
      const ledger = deriveLedger(m.txs, originLookup(m.origins));
      for (const t of ledger.trades) {
        const ev = ledger.events.filter((e) => e.tradeId === t.id);
        expect(sumMoney(ev.map((e) => e.realized))).toBe(t.realizedPL);
        expect(sumMoney(ev.map((e) => e.financing))).toBe(t.financing);
        expect(t.netPL).toBe(sumMoney([t.realizedPL, t.financing]));
        if (t.state === "closed") {
          expect(t.closedUnits).toBe(t.units);
          expect(t.openUnits).toBe(0);
          expect(t.closeReason).not.toBeNull();
          expect(t.closeTime! >= t.openTime!).toBe(true);
        } else {
          expect(t.openUnits + t.closedUnits).toBe(t.units);
        }
        // Tagged (journaled) entries carry their pocket; the rest are manual.
        expect(t.pocket).toBe(m.origins.some((o) => o.clientId === t.openClientId) ? "scalp_fast" : "manual");
      }
    }), { numRuns: 300 });
  });

  it("does not depend on the order or repetition of the transactions (stream and gap fill overlap)", () => {
    fc.assert(fc.property(history, fc.infiniteStream(fc.nat()), ({ steps, start, gaps }, rnd) => {
      const m = play(steps, start, gaps);
      const it = rnd[Symbol.iterator]();
      const jumbled = [...m.txs, ...m.txs.filter(() => it.next().value % 3 === 0)].sort(() => (it.next().value % 2 ? 1 : -1));
      expect(deriveLedger(jumbled, originLookup(m.origins))).toEqual(deriveLedger(m.txs, originLookup(m.origins)));
    }), { numRuns: 150 });
  });
});
