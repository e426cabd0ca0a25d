// The adapter's providers role: what the venue says about the account and the instruments it
// trades (account details with positions and trades, open trades, instrument specs, and OANDA's
// own conversion factors into the home currency).
import type { AccountSnapshot, InstrumentSpec, PositionSides, Side } from "../core/types.ts";
import type { OandaContext } from "./config.ts";
import * as S from "./schemas.ts";

/** An open trade, with units as a magnitude plus side (OANDA's sign stops here). */
export interface OpenTrade {
  id: string;
  instrument: string;
  side: Side;
  units: number;
  price: number;
  openTime: string;
  unrealizedPL?: number;
  marginUsed?: number;
  clientExtensions?: { id?: string; tag?: string; comment?: string };
  takeProfitPrice?: number;
  stopLossPrice?: number;
}

/** The summary part of an account (no positions). */
export type AccountSummaryView = Omit<AccountSnapshot, "positions">;

export interface AccountDetails extends AccountSnapshot {
  /** Open trades as the account endpoint lists them (TradeSummary: price, units, clientExtensions). */
  trades: Array<Pick<OpenTrade, "id" | "instrument" | "side" | "units" | "clientExtensions"> & { price?: number }>;
}

/** OANDA's factors to the home currency, by currency. */
export type HomeConversions = Map<string, { positionValue?: number; accountLoss?: number; accountGain?: number }>;

export class OandaProviders {
  constructor(private readonly ctx: OandaContext) {}

  /** The account in one read: summary, positions (long/short magnitudes) and open trades. */
  async accountDetails(signal?: AbortSignal): Promise<AccountDetails> {
    const r = await this.ctx.http.read(this.ctx.accountPath, S.accountDetailsResponse, { signal });
    const a = r.account;
    return {
      id: a.id,
      currency: a.currency,
      balance: a.balance,
      nav: a.NAV,
      unrealizedPL: a.unrealizedPL,
      marginUsed: a.marginUsed,
      marginAvailable: a.marginAvailable,
      marginCloseoutPercent: a.marginCloseoutPercent ?? 0,
      hedgingEnabled: a.hedgingEnabled ?? false,
      lastTransactionID: r.lastTransactionID,
      asOf: this.ctx.clock.now(),
      positions: a.positions.map(toPositionSides).filter((p) => p.long > 0 || p.short > 0),
      trades: a.trades.map((t) => ({ id: t.id, instrument: t.instrument, side: t.currentUnits < 0 ? "sell" : "buy", units: Math.abs(t.currentUnits), price: t.price, clientExtensions: t.clientExtensions })),
    };
  }

  /** Open trades with their open time, P/L, margin and TP/SL prices (GET /openTrades). */
  async openTrades(signal?: AbortSignal): Promise<OpenTrade[]> {
    const r = await this.ctx.http.read(`${this.ctx.accountPath}/openTrades`, S.openTradesResponse, { signal });
    return r.trades.map((t) => ({
      id: t.id,
      instrument: t.instrument,
      side: t.currentUnits < 0 || (t.currentUnits === 0 && t.initialUnits < 0) ? "sell" : "buy",
      units: Math.abs(t.currentUnits),
      price: t.price,
      openTime: t.openTime,
      unrealizedPL: t.unrealizedPL,
      marginUsed: t.marginUsed,
      clientExtensions: t.clientExtensions,
      takeProfitPrice: t.takeProfitOrder?.price,
      stopLossPrice: t.stopLossOrder?.price,
    }));
  }

  /** The account's tradeable instruments as InstrumentSpecs; also refreshes the instrument table. */
  async instruments(names?: string[], signal?: AbortSignal): Promise<InstrumentSpec[]> {
    const r = await this.ctx.http.read(`${this.ctx.accountPath}/instruments`, S.instrumentsResponse, { query: { instruments: names?.join(",") }, signal });
    const specs = r.instruments.map((i): InstrumentSpec => {
      const [base = i.name, quote = ""] = i.name.split("_");
      return { name: i.name, base, quote, pipLocation: i.pipLocation, displayPrecision: i.displayPrecision, tradeUnitsPrecision: i.tradeUnitsPrecision, minimumTradeSize: i.minimumTradeSize, marginRate: i.marginRate };
    });
    for (const s of specs) this.ctx.instrumentTable.upsert(s);
    return specs;
  }

  /**
   * OANDA's own factors converting each currency into the account's home currency
   * (GET /pricing?includeHomeConversions=true), by currency: `positionValue` converts a position's
   * value (the margin factor c for a base currency), `accountLoss`/`accountGain` P/L. Factors
   * OANDA leaves out are absent from the map.
   */
  async homeConversions(instruments: string[], signal?: AbortSignal): Promise<HomeConversions> {
    const out: HomeConversions = new Map();
    if (instruments.length === 0) return out;
    const r = await this.ctx.http.read(`${this.ctx.accountPath}/pricing`, S.pricingResponse, { query: { instruments: instruments.join(","), includeHomeConversions: "true" }, signal });
    for (const h of r.homeConversions ?? []) out.set(h.currency, { positionValue: h.positionValue, accountLoss: h.accountLoss, accountGain: h.accountGain });
    return out;
  }
}

export function toPositionSides(p: S.Position): PositionSides {
  return {
    instrument: p.instrument,
    long: Math.abs(p.long.units),
    short: Math.abs(p.short.units),
    avgLongPrice: p.long.averagePrice,
    avgShortPrice: p.short.averagePrice,
    unrealizedPL: p.unrealizedPL,
    marginUsed: p.marginUsed,
  };
}
