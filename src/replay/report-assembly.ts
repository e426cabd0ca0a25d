// The replay report put together at the end of a run: the input, the ticks, the account, what the
// workers, the gate and the broker did, from the recorder's counts and the simulator's ledger.
import type { TickSource } from "../marketdata/ticks.ts";
import { isoTime } from "../marketdata/ticks.ts";
import type { Transaction } from "../sim/index.ts";
import type { AccountNumbers } from "../sim/types.ts";
import type { ReplayRecorder } from "./recorder.ts";
import { sortedCounts, type ReplayReport } from "./report.ts";
import { roundWithoutNegativeZero as round } from "../core/round.ts";

/** An order as the simulator received it (MARKET_ORDER transactions from clients). */
export interface SentOrder {
  time: string;
  instrument: string;
  units: string;
  positionFill: string;
  clientId?: string;
  tag?: string;
}

/** Broker closes (TP/SL, closeouts) by reason and the client orders, from the venue's transactions; marks the closes on the series. */
export function readTransactions(transactions: readonly Transaction[], recorder: ReplayRecorder): { brokerCloses: Record<string, number>; sent: SentOrder[] } {
  const brokerCloses: Record<string, number> = {};
  const sent: SentOrder[] = [];
  for (const tx of transactions) {
    if (tx.type === "ORDER_FILL" && tx.reason !== "MARKET_ORDER") brokerCloses[String(tx.reason)] = (brokerCloses[String(tx.reason)] ?? 0) + 1;
    if (recorder.series && tx.type === "ORDER_FILL" && tx.reason !== "MARKET_ORDER" && tx.reason !== "TRADE_CLOSE") {
      const units = Number(tx.units);
      recorder.series.mark({ t: Date.parse(String(tx.time)), kind: "close", side: units >= 0 ? "buy" : "sell", units: Math.abs(units), price: Number(tx.price) || null, who: String(tx.reason) });
    }
    if (tx.type === "MARKET_ORDER" && tx.reason === "CLIENT_ORDER") {
      const ce = tx.clientExtensions as { id?: string; tag?: string } | undefined;
      sent.push({ time: tx.time, instrument: String(tx.instrument), units: String(tx.units), positionFill: String(tx.positionFill), clientId: ce?.id, tag: ce?.tag });
    }
  }
  return { brokerCloses, sent };
}

export interface ReportInputs {
  input: { ticksFile: string; askFile?: string; instrument: string; from?: number; to?: number };
  source: Pick<TickSource, "format" | "rows" | "bars" | "crossedBars">;
  ticks: { replayed: number; skipped: Record<string, number>; first: number; last: number };
  broker: { currency: string; marginRate: number; marginModel: string; closeoutRule: string; pl: number; financing: number };
  gateMarginModel: string;
  droppedByBus: Record<string, number>;
  skips: { fastScalp: Record<string, number>; micro: Record<string, number> };
  balancerRuns: number;
  budgetRatio: number;
  brokerCloses: Record<string, number>;
  end: AccountNumbers;
}

export function assembleReport(r: ReportInputs, rec: ReplayRecorder): ReplayReport {
  const { input: o, source, ticks, broker, end } = r;
  const start = rec.startNumbers;
  return {
    input: {
      ticksFile: o.ticksFile, ...(o.askFile ? { askFile: o.askFile } : {}), format: source.format, instrument: o.instrument,
      ...(o.from !== undefined ? { from: isoTime(o.from) } : {}), ...(o.to !== undefined ? { to: isoTime(o.to) } : {}),
    },
    ticks: {
      rows: source.rows,
      ...(source.bars !== undefined ? { bars: source.bars, crossedBars: source.crossedBars ?? 0 } : {}),
      replayed: ticks.replayed,
      skipped: sortedCounts(ticks.skipped),
      first: isoTime(ticks.first),
      last: isoTime(ticks.last),
      spanHours: round((ticks.last - ticks.first) / 3_600_000, 2),
    },
    account: {
      currency: broker.currency, startBalance: round(start.balance), startNav: round(start.nav), marginRate: broker.marginRate,
      brokerMarginModel: broker.marginModel, gateMarginModel: r.gateMarginModel,
      brokerCloseoutRule: broker.closeoutRule,
    },
    signals: {
      total: Object.values(rec.signalsByWorker).reduce((a, b) => a + b, 0),
      byWorker: sortedCounts(rec.signalsByWorker),
      droppedByBus: sortedCounts(r.droppedByBus),
    },
    decisions: {
      total: Object.values(rec.decisionsByOutcome).reduce((a, b) => a + b, 0),
      byOutcome: sortedCounts(rec.decisionsByOutcome),
      skipReasons: sortedCounts(rec.skipReasons),
    },
    orders: {
      total: Object.values(rec.ordersByStatus).reduce((a, b) => a + b, 0),
      byStatus: sortedCounts(rec.ordersByStatus),
      byWorker: Object.fromEntries(Object.entries(rec.ordersByWorker).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, { ...v, filledUnits: round(v.filledUnits, 4) }])),
      fills: rec.fills,
      filledUnits: round(rec.filledUnits, 4),
      brokerCloses: sortedCounts(r.brokerCloses),
    },
    margin: {
      budgetRatio: round(r.budgetRatio, 6),
      maxUsage: round(rec.maxUsage, 6),
      maxUsageAt: isoTime(rec.maxUsageAt),
      maxUsageAfterFill: round(rec.maxUsageAfterFill, 6),
      fillsOverBudget: rec.fillsOverBudget,
    },
    pl: { realized: round(broker.pl), financing: round(broker.financing), unrealized: round(end.unrealizedPL), endBalance: round(end.balance), endNav: round(end.nav) },
    drawdown: {
      max: round(rec.drawdown.max),
      maxPct: round(rec.drawdown.pct, 6),
      ...(rec.drawdown.peakAt !== undefined ? { peakAt: isoTime(rec.drawdown.peakAt), troughAt: isoTime(rec.drawdown.troughAt!) } : {}),
    },
    workers: {
      fastScalpSkips: sortedCounts(r.skips.fastScalp),
      microSkips: sortedCounts(r.skips.micro),
      balancerRuns: r.balancerRuns,
      ...(rec.firstHedge ? { firstHedge: rec.firstHedge } : {}),
    },
  };
}
