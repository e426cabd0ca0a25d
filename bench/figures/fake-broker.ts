// A fake OANDA for the tick-to-order bench: the project's simulator answers every REST call and
// the transaction stream, but the pricing stream and the order POSTs pass through here so both
// ends are timestamped on one monotonic clock (performance.now) in this process:
//   t0 = just before a PRICE line is handed to the server to write (nothing else is done between
//        the stamp and the write: the line is built first),
//   t1 = when an order POST's request reaches the handler (headers parsed, body not yet read).
// The server is Deno's own (Deno.serve): a loopback POST reaches its handler as fast as a raw
// socket's first read does (docs/performance.md), where node:http's compatibility layer on Deno
// added 150-200 µs of its own to every request before the stamp. The bench runs on Deno only.
// Prices are crafted for fast_scalp: a steady ramp of one point (0.00001) per tick on EUR_USD,
// so every tick has momentum and no spike; buys fire whenever the pending/cooldown rules allow.
// The order's priceBound (ask + slippage) names the PRICE line that triggered it.
import { createSimApp, FaultState, parseScenario, SimEngine } from "../../src/sim/index.ts";
import { wallClock } from "../../src/core/types.ts";

/** The part of Deno's server API used here (the repository type-checks without Deno's own types). */
interface DenoServer {
  addr: { port: number };
  shutdown(): Promise<void>;
}
type DenoServe = (o: { port: number; hostname: string; onListen(): void }, handler: (req: Request) => Response | Promise<Response>) => DenoServer;

function denoServe(): DenoServe {
  const serve = (globalThis as { Deno?: { serve?: DenoServe } }).Deno?.serve;
  if (!serve) throw new Error("the latency bench's fake broker runs on Deno (npm run bench)");
  return serve;
}

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
  #server?: DenoServer;
  readonly #streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  readonly #encoder = new TextEncoder();
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

  /** Pricing-stream connections open now. */
  get streamsOpen(): number {
    return this.#streams.size;
  }

  get accountId(): string {
    return this.engine.accountId;
  }

  async listen(): Promise<string> {
    this.#server = denoServe()({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => this.#handle(req, performance.now()));
    this.#hb = setInterval(() => this.#broadcast(`{"type":"HEARTBEAT","time":"${new Date().toISOString()}"}\n`), HEARTBEAT_MS);
    return `http://127.0.0.1:${this.#server.addr.port}`;
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
    const bytes = this.#encoder.encode(`${JSON.stringify(this.engine.clientPrice(INSTRUMENT))}\n`);
    const key = ask.toFixed(5);
    this.#written.set(key, performance.now());
    for (const c of this.#streams) c.enqueue(bytes);
    this.linesWritten++;
    // Keep the lookup small: a trigger older than 100,000 lines is not a latency any more.
    if (this.#written.size > 100_000) this.#written.delete(this.#written.keys().next().value!);
  }

  #broadcast(line: string): void {
    const bytes = this.#encoder.encode(line);
    for (const c of this.#streams) c.enqueue(bytes);
  }

  async #handle(req: Request, arrived: number): Promise<Response> {
    const url = new URL(req.url);
    if (req.method === "GET" && url.pathname.endsWith("/pricing/stream")) {
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start: (c) => {
          controller = c;
          c.enqueue(this.#encoder.encode(`${JSON.stringify(this.engine.clientPrice(INSTRUMENT))}\n`));
          this.#streams.add(c);
        },
        cancel: () => void this.#streams.delete(controller),
      });
      return new Response(body, { headers: { "Content-Type": "application/octet-stream" } });
    }
    const text = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
    if (req.method === "POST" && url.pathname.endsWith("/orders")) this.#recordOrder(text, arrived);
    return await this.#sim.app.fetch(new Request(`http://fake${url.pathname}${url.search}`, { method: req.method, headers: req.headers, body: text.length ? text : undefined, signal: req.signal }));
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
    for (const c of this.#streams) {
      try {
        c.close();
      } catch {
        // already cancelled by the client
      }
    }
    this.#streams.clear();
    this.#sim.shutdown();
    await this.#server?.shutdown();
  }
}
