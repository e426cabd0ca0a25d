// Both sides of one instrument closed in ONE broker request (PUT /positions/{instrument}/close
// with longUnits and shortUnits): a halted market or a refusal stops both sides together, so no
// half-done close can leave |net| or margin above where they were. Each side is its own journal
// row (client id `<base>-L` / `<base>-S`, named on the broker's order through its client
// extensions); a lost answer is settled by looking each order up by client id, never resent.
import type { MarketOrderRequest, PositionCloseResult } from "../core/orders.ts";
import { positionCloseClientId } from "../core/client-id.ts";
import type { SettledOrder } from "../core/order-events.ts";
import type { Signal } from "../core/types.ts";
import { type ExecutionContext, whileInFlight } from "./context.ts";
import { journalIntent } from "./intent.ts";
import { markUnknown, sendBounded, settleByLookups } from "./lost-answer.ts";
import { sumLegs } from "./legs.ts";
import { settle, settledOrder } from "./settle.ts";

export function executePositionClose(cx: ExecutionContext, base: MarketOrderRequest, units: { long: number; short: number }, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
  const legs = ([["long", units.long, "sell"], ["short", units.short, "buy"]] as const).filter(([, u]) => u > 0);
  const reqs = legs.map(([side, u, orderSide]): MarketOrderRequest => ({
    ...base, clientId: positionCloseClientId(base.clientId, side), side: orderSide, units: u, positionFill: "REDUCE_ONLY",
    priceBound: undefined, takeProfitPrice: undefined, stopLossPrice: undefined,
  }));
  return whileInFlight(cx, reqs.map((r) => r.clientId), async () => {
    for (const r of reqs) await journalIntent(cx, r, s, "REDUCE_ONLY", JSON.stringify({ ...r, positionClose: { longUnits: units.long, shortUnits: units.short } }));
    cx.d.log.info({ event: "position_close_submit", instrument: base.instrument, longUnits: units.long, shortUnits: units.short, clientIds: reqs.map((r) => r.clientId), detail });
    const ext = (r: MarketOrderRequest | undefined) => (r ? { id: r.clientId, tag: r.tag, comment: r.comment } : undefined);
    const longReq = reqs.find((r) => r.side === "sell");
    const shortReq = reqs.find((r) => r.side === "buy");
    const answer = await sendBounded<PositionCloseResult>(
      cx,
      (signal) => cx.d.broker.closePosition!(base.instrument, {
        longUnits: longReq?.units, shortUnits: shortReq?.units, longClientExtensions: ext(longReq), shortClientExtensions: ext(shortReq),
      }, signal),
      (error) => ({ long: { kind: "unknown", error }, short: { kind: "unknown", error } }),
    );
    const results: SettledOrder[] = [];
    for (const r of reqs) {
      const o = (r.side === "sell" ? answer.long : answer.short) ?? { kind: "unknown" as const, error: "no outcome for this side in the answer" };
      if (o.kind !== "unknown") {
        results.push(await settle(cx, r, o));
        continue;
      }
      await markUnknown(cx, r.clientId, o.error);
      results.push((await settleByLookups(cx, r)) ?? settledOrder(r, "unknown", "unknown", { reason: o.error }));
    }
    return sumLegs(results, { clientId: base.clientId, units: reqs.reduce((n, r) => n + r.units, 0) });
  });
}
