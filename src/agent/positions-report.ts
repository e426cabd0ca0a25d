// GET /positions: each instrument's units, price, margin and headroom, and the account's figures.
import { round } from "../core/round.ts";
import { ApiError, type PositionsReport } from "../http/deps.ts";
import { freeMarginRatio, instrumentMargin, marginBudget, marginUsageRatio } from "../margin/model.ts";
import type { Agent } from "./agent.ts";

export function positionsReport(agent: Agent): PositionsReport {
  const { account, config, market, instruments } = agent;
  const snap = account.snapshot();
  if (!snap) throw new ApiError(503, "no_account_state", "the account has not been read from the broker yet");
  const model = account.marginModel();
  const rule = account.closeoutRule();
  const closeout = account.closeoutReport();
  const now = agent.clock.now();
  const names = [...new Set([...config.INSTRUMENTS, ...account.instrumentsWithPositions()])];
  const list = names.map((name) => {
    const spec = instruments.get(name);
    // The broker's view as of the last refresh, so totals and pockets (from its trades) agree;
    // sizing (headroom below) uses the live view including fills since and orders in flight.
    const broker = snap.positions.find((p) => p.instrument === name);
    const pos = { long: broker?.long ?? 0, short: broker?.short ?? 0 };
    const tick = market.latest(name);
    const c = account.conversion(name);
    const net = pos.long - pos.short;
    const modelMargin = c ? instrumentMargin(model.inForce, pos.long, pos.short, c, spec.marginRate) : 0;
    const closeoutMovePips = closeout?.instruments.find((x) => x.instrument === name)?.distance.pips ?? null;
    const headroom = (side: "buy" | "sell") => {
      const r = agent.gate.lot(name, side);
      return r ? { units: r.maxUnits, reason: r.reason, netReducing: r.netReducing } : { units: 0, reason: "no_conversion", netReducing: false };
    };
    const pockets = Object.entries(account.pocketUnits(name)).map(([pocket, e]) => ({
      pocket: pocket as "macro", long: e!.long, short: e!.short, trades: account.trades().filter((t) => t.instrument === name && t.pocket === pocket).length,
    }));
    return {
      instrument: name, long: pos.long, short: pos.short, net,
      avgLongPrice: broker?.avgLongPrice ?? null, avgShortPrice: broker?.avgShortPrice ?? null, unrealizedPL: broker?.unrealizedPL ?? 0,
      price: tick ? { bid: tick.bid, ask: tick.ask, mid: (tick.bid + tick.ask) / 2, ageMs: Math.max(0, now - tick.receivedAt) } : null,
      margin: { model: round(modelMargin), broker: broker?.marginUsed ?? null },
      closeoutMovePips: closeoutMovePips === null ? null : round(closeoutMovePips, 1),
      headroom: { buy: headroom("buy"), sell: headroom("sell") },
      pockets,
    };
  });
  return {
    asOf: new Date(snap.asOf).toISOString(),
    account: {
      id: snap.id, currency: snap.currency, balance: snap.balance, nav: snap.nav, unrealizedPL: snap.unrealizedPL,
      marginUsed: snap.marginUsed, marginAvailable: snap.marginAvailable,
      margin_usage_ratio: marginUsageRatio(snap.marginUsed, snap.nav), free_margin_ratio: freeMarginRatio(snap.marginAvailable, snap.nav),
      marginCloseoutPercent: snap.marginCloseoutPercent, marginModel: { setting: model.setting, inForce: model.inForce },
      closeout: {
        rule: rule.inForce, ruleSetting: rule.setting, usage: round(closeout?.account.usage ?? 0, 6),
        distancePips: closeout?.account.pips == null ? null : round(closeout.account.pips, 1),
        instrument: closeout?.account.instrument ?? null, direction: closeout?.account.direction ?? null,
      },
      marginBudget: round(marginBudget(snap.nav, config.MAX_MARGIN_USAGE, config.MARGIN_SAFETY_FACTOR)),
    },
    instruments: list,
  };
}
