// Restart (and periodic) reconciliation: every intent/submitted/unknown row is settled from
// what the broker knows. Rows the broker never saw become `reconciled` once older than
// `minAgeMs` (ORDER_FATE_HORIZON_SEC: before that the broker may still execute them, so they
// keep counting at full size); nothing is resent. The ledger settles them sooner when the
// broker's fill or cancel arrives (src/reconcile/attribution.ts), a late fill after `reconciled` too.
import { type MarketOrderRequest, UNSETTLED_STATUSES } from "../core/orders.ts";
import { makeTag } from "../core/tag.ts";
import type { Pocket } from "../core/types.ts";
import type { ExecutionContext } from "./context.ts";
import { lookup, settleLookup, tradeCloseFill } from "./lost-answer.ts";
import type { JournalOrderRow } from "./ports.ts";
import { settle } from "./settle.ts";
import { readTradeCloseRequest, TRADE_CLOSE } from "../core/trade-close.ts";

const UNSETTLED = new Set<string>(UNSETTLED_STATUSES);

export async function reconcileOnce(cx: ExecutionContext, minAgeMs: number): Promise<void> {
  const rows = await cx.d.orders.unsettled();
  for (const listed of rows) {
    if (cx.inFlight.has(listed.clientId)) continue;
    const req = requestFromRow(listed);
    if (listed.positionFill === TRADE_CLOSE) {
      await reconcileTradeClose(cx, listed, req, minAgeMs);
      continue;
    }
    const found = await lookup(cx, listed.clientId);
    // The row may have moved on while we asked (an execution finished): read it again.
    const row = await stillUnsettled(cx, listed.clientId);
    if (!row) continue;
    if (found === "error") {
      // Keep it counted as position until the broker can answer.
      keepCounted(cx, row, req);
      continue;
    }
    if (found.found) {
      const settled = await settleLookup(cx, req, found);
      if (settled) cx.d.log.info({ event: "order_reconciled", clientId: row.clientId, status: settled.status });
      else keepCounted(cx, row, req);
      continue;
    }
    if (tooRecent(cx, row, minAgeMs)) {
      keepCounted(cx, row, req);
      continue;
    }
    await markNeverExecuted(cx, row, `not found at the broker ${Math.round(minAgeMs / 1000)} s after the request`);
  }
}

async function reconcileTradeClose(cx: ExecutionContext, row: JournalOrderRow, req: MarketOrderRequest, minAgeMs: number): Promise<void> {
  // An unreadable request is settled below as not executed only when old enough.
  const { tradeId, sinceTransactionID } = readTradeCloseRequest(row.requestJson);
  const fill = tradeId ? await tradeCloseFill(cx, row.clientId, tradeId, sinceTransactionID ?? "0") : undefined;
  const fresh = await stillUnsettled(cx, row.clientId);
  if (!fresh) return;
  if (fill) {
    await settle(cx, { ...req, positionFill: "REDUCE_ONLY" }, fill, "lookup");
    return;
  }
  if (tooRecent(cx, fresh, minAgeMs)) {
    keepCounted(cx, fresh, req, tradeId);
    return;
  }
  await markNeverExecuted(cx, fresh, `no fill closing trade ${tradeId ?? "?"} at the broker ${Math.round(minAgeMs / 1000)} s after the request`);
}

/** The row as it is now, if it still waits for an outcome and no execution holds it. */
async function stillUnsettled(cx: ExecutionContext, clientId: string): Promise<JournalOrderRow | undefined> {
  const row = await cx.d.orders.findByClientId(clientId);
  return row && UNSETTLED.has(row.status) && !cx.inFlight.has(clientId) ? row : undefined;
}

/**
 * Still inside the fate horizon: the broker may yet execute the request. Measured from the
 * row's last change (when the answer was given up on, or the intent if nothing followed),
 * which is no earlier than the request's last byte.
 */
function tooRecent(cx: ExecutionContext, row: JournalOrderRow, minAgeMs: number): boolean {
  const lastChange = Date.parse(row.updatedAt ?? row.intentAt ?? "");
  return minAgeMs > 0 && (!Number.isFinite(lastChange) || cx.d.clock.now() - lastChange < minAgeMs);
}

/** An order whose fate is still unknown keeps counting at full size (after a restart too). */
function keepCounted(cx: ExecutionContext, row: JournalOrderRow, req: MarketOrderRequest, tradeId?: string): void {
  cx.events.publish({
    type: "fate_unknown", clientId: row.clientId,
    reservation: { clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, reduceOnly: req.positionFill === "REDUCE_ONLY" || row.positionFill === TRADE_CLOSE, tradeId },
  });
}

async function markNeverExecuted(cx: ExecutionContext, row: JournalOrderRow, why: string): Promise<void> {
  await cx.d.orders.advance(row.clientId, "reconciled", { note: `was ${row.status}; ${why}; never executed` });
  cx.events.publish({ type: "released", clientId: row.clientId, status: "reconciled" });
  cx.d.metrics?.orderSettled?.("reconciled");
  cx.d.log.info({ event: "order_reconciled", clientId: row.clientId, status: "reconciled", was: row.status });
}

function requestFromRow(row: JournalOrderRow): MarketOrderRequest {
  return {
    clientId: row.clientId, instrument: row.instrument, side: row.side === "sell" ? "sell" : "buy", units: Number(row.requestedUnits),
    timeInForce: "FOK", positionFill: (row.positionFill as MarketOrderRequest["positionFill"]) ?? "OPEN_ONLY",
    tag: makeTag(row.pocket as Pocket, row.strategy), comment: "",
  };
}
