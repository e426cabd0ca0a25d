// Margin closeout: when the account's marginCloseoutPercent (by the scenario's loss-cut rule,
// closeout-rule.ts) reaches 100% on a price update, every open position is closed at market,
// each side with a MARKET_ORDER (reason MARGIN_CLOSEOUT) and its ORDER_FILL
// (reason MARKET_ORDER_MARGIN_CLOSEOUT), so trades and P/L can name them.
import { fmtUnits } from "./format.ts";
import type { Ledger } from "./ledger.ts";
import { cancelLinked } from "./dependents.ts";
import { executeFill, newMarketOrder, planFill } from "./fills.ts";

export function checkCloseout(ledger: Ledger): void {
  // Nothing open, nothing to close: the account's figures are not needed (every price asks this).
  if (ledger.open.size === 0) return;
  const n = ledger.numbers();
  if (n.marginCloseoutPercent < 1) return;
  const batch = ledger.nextBatch();
  for (const instrument of ledger.instrumentNames()) {
    const p = ledger.prices.get(instrument)!;
    if (!ledger.tradeable(instrument)) continue;
    for (const side of ["long", "short"] as const) {
      const e = ledger.exposure(instrument);
      const held = side === "long" ? e.long : e.short;
      if (held <= 0) continue;
      const signed = side === "long" ? -held : held;
      const create = ledger.tx("MARKET_ORDER", {
        instrument, units: fmtUnits(ledger.spec(instrument), signed), timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "MARGIN_CLOSEOUT",
        marginCloseout: { reason: "MARGIN_CHECK_VIOLATION" },
      }, batch);
      const order = newMarketOrder(ledger, create);
      const plan = planFill(ledger, instrument, signed, "REDUCE_ONLY");
      const fill = executeFill(ledger, { order, instrument, price: signed > 0 ? p.ask : p.bid, plan, reason: "MARKET_ORDER_MARGIN_CLOSEOUT", batch });
      cancelLinked(ledger, fill, batch, undefined);
    }
  }
}
