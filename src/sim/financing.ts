// Daily financing, as OANDA books it at each trading day's close (17:00 New York): every open
// trade pays or receives |units| x base->home conversion x annual rate x days / 365, where
// the rate is the scenario's for the instrument and side (positive received, negative paid)
// and days is 3 on Wednesday's close, else 1 (ny-time.ts). One DAILY_FINANCING transaction
// carries the per-position and per-trade amounts; the balance moves by exactly its total.
import { fmtAmount } from "./format.ts";
import type { Ledger } from "./ledger.ts";
import { BUILTIN_FINANCING_RATES, type Scenario } from "./scenario.ts";
import { type Json, round4, type Transaction } from "./types.ts";

export type FinancingRates = (instrument: string) => { long: number; short: number };

export function financingRates(f: Scenario["financing"]): FinancingRates {
  return (instrument) => f.rates[instrument] ?? BUILTIN_FINANCING_RATES[instrument] ?? f.otherRates;
}

/** Book one close's financing; undefined when nothing is open (OANDA writes none then). */
export function bookDailyFinancing(ledger: Ledger, rates: FinancingRates, days: number): Transaction | undefined {
  if (ledger.open.size === 0) return undefined;
  const positions: Json[] = [];
  let total = 0;
  for (const [instrument, line] of ledger.openByInstrument) {
    if (line.size === 0) continue;
    const r = rates(instrument);
    const c = ledger.conversion(instrument);
    const trades: Json[] = [];
    let sum = 0;
    for (const t of line.values()) {
      const rate = t.currentUnits > 0 ? r.long : r.short;
      const amount = round4((Math.abs(t.currentUnits) * c * rate * days) / 365);
      t.financing = round4(t.financing + amount);
      ledger.addFinancing(t, amount);
      sum += amount;
      trades.push({ tradeID: t.id, financing: fmtAmount(amount) });
    }
    sum = round4(sum);
    total += sum;
    positions.push({ instrument, financing: fmtAmount(sum), openTradeFinancings: trades });
  }
  total = round4(total);
  ledger.balance = round4(ledger.balance + total);
  ledger.financing = round4(ledger.financing + total);
  return ledger.tx("DAILY_FINANCING", { financing: fmtAmount(total), accountBalance: fmtAmount(ledger.balance), accountFinancingMode: "DAILY", positionFinancings: positions });
}
