// The v20 reads of the account: the account and its summary, instruments, changes, positions,
// trades and transactions (with the transaction stream). Nothing here changes the engine.
import { fmtTime } from "../format.ts";
import { transactionStream } from "../streams.ts";
import * as V from "../views.ts";
import { A, error, idParam, lastOf, type RouteContext, send, STREAM_HEADERS } from "./context.ts";

export function accountRoutes({ app, engine, streams }: RouteContext): void {
  const last = () => lastOf(engine);
  app.get("/v3/accounts", (c) => send(c, { accounts: [{ id: engine.accountId, tags: [] }] }));
  app.get(A, (c) => send(c, { account: V.accountFull(engine), ...last() }));
  app.get(`${A}/summary`, (c) => send(c, { account: V.accountSummary(engine), ...last() }));
  app.get(`${A}/instruments`, (c) => {
    const raw = c.req.query("instruments");
    const names = raw ? raw.split(",").filter((i) => engine.hasInstrument(i)) : engine.instrumentNames();
    return send(c, { instruments: names.map((i) => V.instrument(engine, i)), ...last() });
  });
  app.get(`${A}/changes`, (c) => {
    const since = idParam(c.req.query("sinceTransactionID"));
    if (since === undefined) return error(c, 400, "Invalid value specified for 'sinceTransactionID'", "INVALID_PARAMETER");
    if (since > Number(engine.lastTransactionID)) return error(c, 416, "The sinceTransactionID is later than the last transaction", "INVALID_RANGE");
    return send(c, V.changes(engine, since));
  });

  // ---------------------------------------------------------------- positions
  app.get(`${A}/positions`, (c) => send(c, { positions: V.positionInstruments(engine).map((i) => V.position(engine, i)), ...last() }));
  app.get(`${A}/openPositions`, (c) => send(c, { positions: V.openPositionInstruments(engine).map((i) => V.position(engine, i)), ...last() }));
  app.get(`${A}/positions/:instrument`, (c) => {
    const i = c.req.param("instrument");
    if (!engine.hasInstrument(i)) return error(c, 404, `Invalid value specified for 'instrument'`, "INSTRUMENT_UNKNOWN");
    return send(c, { position: V.position(engine, i), ...last() });
  });

  // ---------------------------------------------------------------- trades
  app.get(`${A}/trades`, (c) => {
    const state = c.req.query("state") ?? "OPEN";
    const inst = c.req.query("instrument");
    const count = Math.min(500, Number(c.req.query("count") ?? 50) || 50);
    const ids = c.req.query("ids")?.split(",");
    let list = engine.allTrades().filter((t) => (state === "ALL" ? true : state === "CLOSED" ? t.currentUnits === 0 : t.currentUnits !== 0));
    if (inst) list = list.filter((t) => t.instrument === inst);
    if (ids) list = list.filter((t) => ids.includes(t.id));
    list = list.reverse().slice(0, count);
    return send(c, { trades: list.map((t) => V.trade(engine, t)), ...last() });
  });
  app.get(`${A}/openTrades`, (c) => send(c, { trades: engine.openTrades().reverse().map((t) => V.trade(engine, t)), ...last() }));
  app.get(`${A}/trades/:tradeSpecifier`, (c) => {
    const s = c.req.param("tradeSpecifier");
    const t = engine.tradeBySpecifier(decodeURIComponent(s));
    if (!t) return error(c, 404, "The Trade specified does not exist", "NO_SUCH_TRADE");
    return send(c, { trade: V.trade(engine, t), ...last() });
  });

  // ---------------------------------------------------------------- transactions (the stream first: it is also a :transactionID)
  app.get(`${A}/transactions/stream`, (c) => c.newResponse(transactionStream(streams, c.req.raw.signal), 200, STREAM_HEADERS));
  app.get(`${A}/transactions/sinceid`, (c) => {
    const id = idParam(c.req.query("id"));
    if (id === undefined) return error(c, 400, "Invalid value specified for 'id'", "INVALID_PARAMETER");
    if (id > Number(engine.lastTransactionID)) return error(c, 416, "The id is later than the last transaction", "INVALID_RANGE");
    return send(c, { transactions: engine.transactionsSince(id), ...last() });
  });
  app.get(`${A}/transactions/idrange`, (c) => {
    const from = idParam(c.req.query("from"));
    const to = idParam(c.req.query("to"));
    if (from === undefined || to === undefined || to < from) return error(c, 400, "Invalid value specified for 'from'/'to'", "INVALID_PARAMETER");
    return send(c, { transactions: engine.transactions().filter((t) => Number(t.id) >= from && Number(t.id) <= to), ...last() });
  });
  app.get(`${A}/transactions/:transactionID`, (c) => {
    const t = engine.transactions().find((x) => x.id === c.req.param("transactionID"));
    if (!t) return error(c, 404, "The Transaction specified does not exist", "NO_SUCH_TRANSACTION");
    return send(c, { transaction: t, ...last() });
  });
  app.get(`${A}/transactions`, (c) => {
    const txs = engine.transactions();
    return send(c, { from: fmtTime(engine.createdTime), to: fmtTime(engine.clock.now()), pageSize: 100, count: txs.length, pages: [], ...last() });
  });
}
