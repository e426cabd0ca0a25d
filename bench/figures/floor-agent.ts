// The tick-to-order floor as one program: what the latency row would measure if the agent did
// nothing but the unavoidable. It reads the fake broker's pricing stream as the agent does (fetch,
// a reused buffer, each chunk's lines in turn), and on a PRICE line at least ORDER_EVERY_MS after
// its last order (fast_scalp's pending TTL in the bench, so about as many orders) it appends one
// JSON line to a file (the intent log's write()) and writes the order's POST to an open keep-alive
// socket (what src/runtime/http1.ts does), priceBound = ask + slippage as the gate sets it. No
// parsing beyond finding the ask, no state, no decision: `npm run bench -- --only=latency
// --agent=floor` runs it in the agent's place, in its own process, on the same bench.
// Usage (the bench spawns it): deno run -A floor-agent.ts <url> <token> <accountId> <slippage> <dir>
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";

const ORDER_EVERY_MS = 100;

interface DenoConn {
  write(p: Uint8Array): Promise<number>;
  read(p: Uint8Array): Promise<number | null>;
  close(): void;
  setNoDelay(on: boolean): void;
}
const deno = (globalThis as { Deno?: { connect(o: { hostname: string; port: number }): Promise<DenoConn>; args: string[] } }).Deno;
if (!deno) throw new Error("the floor program runs on Deno (npm run bench)");
const [url, token, accountId, slippage, dir] = deno.args;
const u = new URL(url!);
const enc = new TextEncoder();
const dec = new TextDecoder();
const log = openSync(join(dir!, "intents"), "a");
const conn = await deno.connect({ hostname: u.hostname, port: Number(u.port) });
conn.setNoDelay(true);
const answer = new Uint8Array(65536);
// Answers are read (and dropped) in the background, so a write never waits for the last answer.
void (async () => {
  while ((await conn.read(answer)) !== null);
})();
const path = `/v3/accounts/${accountId}/orders`;
const head = (length: number) => `POST ${path} HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${token}\r\nAccept-Datetime-Format: RFC3339\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
let last = -Infinity;
let n = 0;

function onLine(line: string): void {
  const at = line.indexOf('"asks":[{"price":"');
  if (at < 0 || !line.startsWith('{"type":"PRICE"')) return;
  const now = performance.now();
  if (now - last < ORDER_EVERY_MS) return;
  last = now;
  const start = at + 18;
  const ask = Number(line.slice(start, line.indexOf('"', start)));
  const clientId = `sk-floor-${++n}`;
  const body = JSON.stringify({ order: { type: "MARKET", instrument: "EUR_USD", units: "1", timeInForce: "FOK", priceBound: (ask + Number(slippage)).toFixed(5), positionFill: "OPEN_ONLY", clientExtensions: { id: clientId } } });
  writeSync(log, enc.encode(`${JSON.stringify({ clientId, body })}\n`));
  const bytes = enc.encode(body);
  const h = enc.encode(head(bytes.length));
  const out = new Uint8Array(h.length + bytes.length);
  out.set(h, 0);
  out.set(bytes, h.length);
  void conn.write(out);
}

const res = await fetch(`${url}/v3/accounts/${accountId}/pricing/stream?instruments=EUR_USD`, { headers: { Authorization: `Bearer ${token}` } });
const reader = res.body!.getReader({ mode: "byob" });
let buf = new Uint8Array(65536);
let rest = "";
for (;;) {
  const r = await reader.read(buf);
  if (r.done) break;
  const text = rest + dec.decode(r.value, { stream: true });
  let from = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
    onLine(text.slice(from, nl));
    from = nl + 1;
  }
  rest = text.slice(from);
  buf = new Uint8Array(r.value!.buffer);
}
closeSync(log);
conn.close();
