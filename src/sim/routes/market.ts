// Prices: the v20 pricing snapshot and stream and the candles, plus /sim, the operator's and the
// tests' controls (faults, a price by hand), which take no token and no faults.
import type { Context } from "hono";
import { GRANULARITY_SECONDS, buildCandles } from "../candles.ts";
import type { Json } from "../engine.ts";
import { fmtTime } from "../format.ts";
import { parseFaultsPatch, ScenarioError } from "../scenario.ts";
import { pricingStream } from "../streams.ts";
import * as V from "../views.ts";
import { A, error, type RouteContext, send, STREAM_HEADERS, timeParam } from "./context.ts";

export function controlRoutes({ app, engine, faults }: RouteContext): void {
  app.get("/sim/faults", (c) => c.json(faults.get()));
  app.post("/sim/faults", async (c) => {
    try {
      return c.json(faults.set(parseFaultsPatch(await c.req.json())));
    } catch (e) {
      return c.json({ errorMessage: e instanceof ScenarioError ? e.message : "expected a JSON object of faults" }, 400);
    }
  });
  app.post("/sim/price", async (c) => {
    let b: Json;
    try {
      b = await c.req.json();
    } catch {
      return c.json({ errorMessage: "expected JSON {instrument, bid, ask, tradeable?}" }, 400);
    }
    const bid = Number(b.bid);
    const ask = Number(b.ask);
    if (typeof b.instrument !== "string" || !engine.hasInstrument(b.instrument)) {
      return c.json({ errorMessage: `instrument must be one of ${engine.instrumentNames().join(", ")}` }, 400);
    }
    if (!(bid > 0 && ask >= bid)) return c.json({ errorMessage: "expected 0 < bid <= ask" }, 400);
    if (b.tradeable !== undefined && typeof b.tradeable !== "boolean") return c.json({ errorMessage: "tradeable must be true or false" }, 400);
    engine.setPrice({ instrument: b.instrument, bid, ask, tradeable: b.tradeable as boolean | undefined });
    return c.json({ price: engine.clientPrice(b.instrument), lastTransactionID: engine.lastTransactionID });
  });
}

export function marketRoutes({ app, engine, streams }: RouteContext): void {
  const instrumentsParam = (c: Context): string[] | Response => {
    const raw = c.req.query("instruments");
    if (!raw) return error(c, 400, "Invalid value specified for 'instruments'");
    const list = raw.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = list.find((i) => !engine.hasInstrument(i));
    if (bad || list.length === 0) return error(c, 400, `Invalid value specified for 'instruments': ${bad ?? raw}`);
    return list;
  };

  app.get(`${A}/pricing`, (c) => {
    const list = instrumentsParam(c);
    if (list instanceof Response) return list;
    // includeHomeConversions=true: OANDA's factors for every currency it trades. The simulator
    // has no spread on conversions: gain, loss and position value are all the mid factor.
    const conversions = c.req.query("includeHomeConversions") === "true" ? { homeConversions: V.homeConversions(engine) } : {};
    return send(c, { prices: list.map((i) => engine.clientPrice(i)), ...conversions, time: fmtTime(engine.clock.now()) });
  });
  app.get(`${A}/pricing/stream`, (c) => {
    const list = instrumentsParam(c);
    if (list instanceof Response) return list;
    const snapshot = c.req.query("snapshot");
    if (snapshot !== undefined && snapshot !== "true" && snapshot !== "false") return error(c, 400, "Invalid value specified for 'snapshot'", "INVALID_PARAMETER");
    return c.newResponse(pricingStream(streams, list, c.req.raw.signal, snapshot !== "false"), 200, STREAM_HEADERS);
  });

  const candles = (c: Context) => {
    const instrument = c.req.param("instrument")!;
    if (!engine.hasInstrument(instrument)) return error(c, 400, `Invalid value specified for 'instrument'`, "INVALID_PARAMETER");
    const granularity = c.req.query("granularity") ?? "S5";
    if (!(granularity in GRANULARITY_SECONDS)) return error(c, 400, `Invalid value specified for 'granularity': the simulator serves ${Object.keys(GRANULARITY_SECONDS).join(", ")}`, "INVALID_PARAMETER");
    const price = (c.req.query("price") ?? "M").toUpperCase();
    if (!/^[MBA]{1,3}$/.test(price)) return error(c, 400, "Invalid value specified for 'price'", "INVALID_PARAMETER");
    const count = c.req.query("count") === undefined ? 500 : Number(c.req.query("count"));
    if (!Number.isInteger(count) || count < 1 || count > 5000) return error(c, 400, "Invalid value specified for 'count': 1..5000", "INVALID_PARAMETER");
    const from = timeParam(c.req.query("from"));
    const to = timeParam(c.req.query("to"));
    if (from === null || to === null) return error(c, 400, "Invalid value specified for 'from'/'to'", "INVALID_PARAMETER");
    const list = buildCandles({
      instrument, spec: engine.spec(instrument), ticks: engine.history.ticks(instrument), granularity, count: from !== undefined && to !== undefined && c.req.query("count") === undefined ? 5000 : count,
      price, from, to, now: engine.clock.now(),
    });
    return send(c, { instrument, granularity, candles: list });
  };
  app.get("/v3/instruments/:instrument/candles", candles);
  app.get(`${A}/instruments/:instrument/candles`, candles);
}
