// A MARKET order carried out: intent, submit, settle; a lost answer is looked up by client id,
// never resent (the resubmission of a restart reuses the client id, so the broker itself would
// refuse a duplicate).
import type { MarketOrderRequest } from "../core/orders.ts";
import type { SettledOrder } from "../core/order-events.ts";
import type { Signal } from "../core/types.ts";
import { type ExecutionContext, whileInFlight } from "./context.ts";
import { foldIntent, journalIntent, logIntent } from "./intent.ts";
import { markUnknown, send, settleByLookups } from "./lost-answer.ts";
import { settle, settledOrder } from "./settle.ts";

export function executeMarketOrder(cx: ExecutionContext, req: MarketOrderRequest, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
  return whileInFlight(cx, [req.clientId], async () => {
    const { broker, clock, metrics, log } = cx.d;
    // The intent is durable before a byte of the order leaves the process: a line of the journal's
    // intent log (its row written right after the request), else the journal's row itself.
    // The request object itself is the intent's requestJson: the log line serialises it once, and
    // the row's text is the same JSON.stringify(req) when the row is built.
    const fold = logIntent(cx, req, s, req.positionFill, req);
    if (!fold) await journalIntent(cx, req, s, req.positionFill, JSON.stringify(req));
    const submitMono = performance.now();
    const submitAt = clock.now();
    // The broker client writes the request before it first awaits (src/oanda/http.ts): what
    // follows here, the metric and the log line, is no longer on the way from the tick to the POST.
    const sending = send(cx, (signal) => broker.submitMarketOrder(req, signal));
    if (fold) await foldIntent(cx, fold, req.clientId);
    // Monotonic and sub-millisecond when the tick came from a stream in this process.
    if (s.tickReceivedMono !== undefined) metrics?.tickToSubmit?.(Math.max(0, submitMono - s.tickReceivedMono) / 1000);
    else if (s.tickReceivedAt !== undefined) metrics?.tickToSubmit?.(Math.max(0, submitAt - s.tickReceivedAt) / 1000);
    log.info({ event: "order_submit", clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, positionFill: req.positionFill, priceBound: req.priceBound, detail });
    const outcome = await sending;
    if (outcome.kind !== "unknown") return settle(cx, req, outcome);

    await markUnknown(cx, req.clientId, outcome.error);
    log.warn({ event: "order_unknown", clientId: req.clientId, error: outcome.error }, "no answer to an order: looking it up before anything is sent again");
    return (await settleByLookups(cx, req)) ?? settledOrder(req, "unknown", "unknown", { reason: outcome.error });
  });
}
