// A fake OANDA for the tick-to-order bench: the project's simulator answers every REST call and
// the transaction stream, but the pricing stream and the order POSTs pass through here so both
// ends are timestamped on one monotonic clock (performance.now) in this process:
//   t0 = just before a PRICE line is written to the agent's pricing stream,
//   t1 = when an order POST's request arrives (headers parsed).
// Prices are crafted for fast_scalp: a steady ramp of one point (0.00001) per tick on EUR_USD,
// so every tick has momentum and no spike; buys fire whenever the pending/cooldown rules allow.
// The order's priceBound (ask + slippage) names the PRICE line that triggered it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSimApp, FaultState, parseScenario, SimEngine } from "../../src/sim/index.ts";
import { wallClock } from "../../src/core/types.ts";

export const INSTRUMENT = "EUR_USD";
const START_BID = 1.1;
const STEP = 0.00001;
const SPREAD = 0.00008;
const HEARTBEAT_MS = 5_000;

export interface Sample {
  /** PRICE written -> order POST received, ms. */
  latencyMs: number;
  /** When the POST arrived, ms on this process's clock. */
  at: number;
}

export class FakeBroker {
  readonly engine: SimEngine;
  readonly token = "bench-token";
  readonly #sim: ReturnType<typeof createSimApp>;
  #server?: Server;
  readonly #streams = new Set<ServerResponse>();
  /** ask (5 decimals) -> when the PRICE line carrying it was written. */
  readonly #written = new Map<string, number>();
  #i = 0;
  #timer?: ReturnType<typeof setTimeout>;
  #hb?: ReturnType<typeof setInterval>;
  readonly samples: Sample[] = [];
  unmatched = 0;
  linesWritten = 0;

  constructor(private readonly slippage: number) {
    const scenario = parseScenario({ account: { currency: "USD", balance: 10_000_000 }, instruments: { [INSTRUMENT]: { bid: START_BID, ask: START_BID + SPREAD } }, ticks: { source: "fixed" } });
    this.engine = new SimEngine(scenario, wallClock);
    this.#sim = createSimApp({ engine: this.engine, token: this.token, faults: new FaultState(), heartbeatMs: HEARTBEAT_MS });
  }

  get accountId(): string {
    return this.engine.accountId;
  }

  async listen(): Promise<string> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((r) => this.#server!.listen(0, "127.0.0.1", r));
    this.#hb = setInterval(() => this.#broadcast(`{"type":"HEARTBEAT","time":"${new Date().toISOString()}"}\n`), HEARTBEAT_MS);
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Write `rate` PRICE lines a second, each as its own write, until stopTicks(). */
  startTicks(rate: number): void {
    const t0 = performance.now();
    let sent = 0;
    const loop = () => {
      const due = Math.floor(((performance.now() - t0) * rate) / 1000);
      for (; sent < due; sent++) this.#tick();
      this.#timer = setTimeout(loop, 1);
    };
    loop();
  }

  stopTicks(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }

  #tick(): void {
    const i = ++this.#i;
    const bid = Number((START_BID + i * STEP).toFixed(5));
    const ask = Number((bid + SPREAD).toFixed(5));
    this.engine.applyTick({ instrument: INSTRUMENT, bid, ask });
    const line = `${JSON.stringify(this.engine.clientPrice(INSTRUMENT))}\n`;
    const key = ask.toFixed(5);
    this.#written.set(key, performance.now());
    this.#broadcast(line);
    this.linesWritten++;
    // Keep the lookup small: a trigger older than 100,000 lines is not a latency any more.
    if (this.#written.size > 100_000) this.#written.delete(this.#written.keys().next().value!);
  }

  #broadcast(line: string): void {
    for (const res of this.#streams) res.write(line);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const url = req.url ?? "/";
    if (req.method === "GET" && url.includes("/pricing/stream")) {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      res.write(`${JSON.stringify(this.engine.clientPrice(INSTRUMENT))}\n`);
      this.#streams.add(res);
      req.on("close", () => this.#streams.delete(res));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.method === "POST" && url.endsWith("/orders")) this.#recordOrder(body.toString("utf8"), arrived);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const r = await this.#sim.app.fetch(new Request(`http://fake${url}`, { method: req.method, headers, body: body.length ? body : undefined }));
    res.writeHead(r.status, Object.fromEntries(r.headers));
    if (!r.body) return void res.end();
    const reader = r.body.getReader();
    req.on("close", () => void reader.cancel().catch(() => undefined));
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      res.write(value);
    }
    res.end();
  }

  #recordOrder(text: string, arrived: number): void {
    try {
      const o = (JSON.parse(text) as { order?: { units?: string; priceBound?: string } }).order;
      if (!o?.priceBound || !o.units || Number(o.units) <= 0) return void this.unmatched++;
      const key = (Number(o.priceBound) - this.slippage).toFixed(5);
      const wrote = this.#written.get(key);
      if (wrote === undefined) return void this.unmatched++;
      this.samples.push({ latencyMs: arrived - wrote, at: arrived });
    } catch {
      this.unmatched++;
    }
  }

  async close(): Promise<void> {
    this.stopTicks();
    if (this.#hb) clearInterval(this.#hb);
    for (const s of this.#streams) s.end();
    this.#sim.shutdown();
    this.#server?.closeAllConnections();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }
}
