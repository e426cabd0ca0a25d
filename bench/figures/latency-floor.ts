// The floor under the tick-to-order figure on this machine: what the three unavoidable parts of
// the path cost with nothing of sekisho around them, each measured like the latency row (two
// processes on loopback, one event every `gapMs`, so each wakes from idle as the agent does: every
// 20 ms at 50 ticks/s, every 2 ms at 500):
//   - a line written by a server -> read by a client's stream reader (the PRICE line's hop);
//   - the journal's intent: its line in the intent log (appendIntent, the default path), and for
//     comparison the commit of its row (insertIntent on a file, WAL, synchronous=NORMAL);
//   - a POST written by a client -> its server's handler (the order's hop): fetch, and one buffer
//     written to an open Deno.connect socket (what src/runtime/http1.ts does);
//   - how much colder this machine runs code after an idle gap: the same one-row INSERT into a
//     one-column table of an in-memory database, back to back and after each sleep (no disk, no
//     triggers, no sekisho: what is left is the processor waking up with cold caches).
// Both processes stamp with performance.timeOrigin + performance.now(): one system clock, read at
// each process's start (a few µs apart), then monotonic.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./agent-process.ts";
import { quantile } from "./stats.ts";
import { delay } from "../../src/core/async/delay.ts";
import { openJournal } from "../../src/store/index.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");
const now = () => performance.timeOrigin + performance.now();

export interface FloorFigure {
  /** p50 / p90, µs. */
  streamHop: [number, number];
  intentCommit: [number, number];
  intentAppend: [number, number];
  postFetch: [number, number];
  postSocket: [number, number];
  /** A one-row INSERT into an in-memory table: p50 µs back to back, and after each gap's sleep. */
  insertHot: number;
  insertCold: number;
}

interface DenoApi {
  serve(o: { port: number; hostname: string; onListen(): void }, h: (req: Request) => Response | Promise<Response>): { addr: { port: number }; shutdown(): Promise<void> };
  connect(o: { hostname: string; port: number }): Promise<{ write(p: Uint8Array): Promise<number>; read(p: Uint8Array): Promise<number | null>; close(): void; setNoDelay(on: boolean): void }>;
  args: string[];
}
const deno = (globalThis as { Deno?: DenoApi }).Deno;

const p50p90 = (v: number[]): [number, number] => [Math.round(quantile(v, 0.5)), Math.round(quantile(v, 0.9))];

/** Runs this file as the client in its own process; resolves with its stdout lines. */
function child(args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(DENO, ["run", "-A", `--config=${join(ROOT, "deno.json")}`, fileURLToPath(import.meta.url), ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout!.setEncoding("utf8").on("data", (s: string) => { out += s; });
    p.once("error", reject);
    p.once("exit", (code) => (code === 0 ? resolve(out.split("\n").filter(Boolean)) : reject(new Error(`floor client exited with ${code}`))));
  });
}

export async function floorFigure(n = 300, gapMs = 20): Promise<FloorFigure> {
  if (!deno) throw new Error("the floor figures run on Deno (npm run bench)");
  const enc = new TextEncoder();
  // The stream: one line every gapMs, stamped just before it is enqueued; the client prints
  // "seq readAt" for each line it reads.
  const written: number[] = [];
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const arrivals: number[] = [];
  const server = deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    if (req.method === "GET") {
      return new Response(new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }));
    }
    const at = now();
    const sentAt = Number(req.headers.get("x-sent-at"));
    await req.arrayBuffer();
    arrivals.push(at - sentAt);
    return new Response("{}", { status: 201, headers: { "Content-Type": "application/json" } });
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  try {
    const reads = child(["--client=stream", url, String(n), String(gapMs)]);
    while (!controller) await delay(10);
    for (let i = 0; i < n; i++) {
      written.push(now());
      controller.enqueue(enc.encode(`{"type":"PRICE","seq":${i},"pad":"${"x".repeat(300)}"}\n`));
      await delay(gapMs);
    }
    const streamHop = (await reads).map((l) => l.split(" ").map(Number)).filter(([i]) => i! >= 50).map(([i, t]) => (t! - written[i!]!) * 1000);
    try {
      controller.close();
    } catch {
      // the client cancelled its reader first
    }

    const posts = async (how: string) => {
      arrivals.length = 0;
      await child([`--client=${how}`, url, String(n), String(gapMs)]);
      return p50p90(arrivals.slice(50).map((ms) => ms * 1000));
    };
    const postFetch = await posts("fetch");
    const postSocket = await posts("socket");

    const dir = mkdtempSync(join(tmpdir(), "sekisho-floor-"));
    const commits: number[] = [];
    const appends: number[] = [];
    try {
      const j = await openJournal({ path: join(dir, "orders.db"), owner: true, scope: { accountId: "floor", mode: "paper" } });
      const intent = (i: number) => ({
        clientId: `sk-floor-${i}`, signalId: `floor-${i}`, worker: "fast_scalp", strategy: "tick_momentum", pocket: "scalp_fast", instrument: "EUR_USD", side: "buy" as const,
        requestedUnits: 1, reduceOnly: false, positionFill: "OPEN_ONLY", priceBound: 1.1, tpPrice: 1.2, slPrice: 1.0, requestJson: `{"clientId":"sk-floor-${i}"}`,
      });
      for (let i = 0; i < n; i++) {
        let t0 = performance.now();
        await j.orders.insertIntent(intent(i), "submitted");
        if (i >= 50) commits.push((performance.now() - t0) * 1000);
        await delay(gapMs);
        // The default path: the line alone is timed (its row is written after the request).
        t0 = performance.now();
        const logged = j.orders.appendIntent(intent(n + i));
        if (i >= 50) appends.push((performance.now() - t0) * 1000);
        await logged?.fold();
        await delay(gapMs);
      }
      await j.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return { streamHop: p50p90(streamHop), intentCommit: p50p90(commits), intentAppend: p50p90(appends), postFetch, postSocket, ...await coldness(n, gapMs) };
  } finally {
    await server.shutdown();
  }
}

/** The same trivial statement back to back and once per gap (see the top of this file). */
async function coldness(n: number, gapMs: number): Promise<{ insertHot: number; insertCold: number }> {
  const { default: Database } = await import("libsql");
  const db = new Database(":memory:");
  try {
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)");
    const insert = db.prepare("INSERT INTO t (a) VALUES (?)");
    const time = (i: number) => {
      const t0 = performance.now();
      insert.run([`row ${i}`]);
      return (performance.now() - t0) * 1000;
    };
    const hot: number[] = [];
    for (let i = 0; i < 10 * n; i++) hot.push(time(i));
    const cold: number[] = [];
    for (let i = 0; i < n; i++) {
      await delay(gapMs);
      const us = time(i);
      if (i >= 50) cold.push(us);
    }
    return { insertHot: Math.round(quantile(hot, 0.5) * 10) / 10, insertCold: Math.round(quantile(cold, 0.5)) };
  } finally {
    db.close();
  }
}

/** The client side, in its own process. */
async function client(how: string, url: string, n: number, gapMs: number): Promise<void> {
  const d = deno!;
  const out: string[] = [];
  if (how === "stream") {
    const reader = (await fetch(url)).body!.getReader();
    const dec = new TextDecoder();
    for (let got = 0; got < n;) {
      const r = await reader.read();
      const at = now();
      if (r.done) break;
      for (const m of dec.decode(r.value, { stream: true }).matchAll(/"seq":(\d+)/g)) {
        out.push(`${m[1]} ${at}`);
        got++;
      }
    }
    await reader.cancel();
  } else {
    const body = JSON.stringify({ order: { type: "MARKET", instrument: "EUR_USD", units: "1", timeInForce: "FOK", priceBound: "1.10050", positionFill: "OPEN_ONLY", clientExtensions: { id: "sk-fs-EUR_USD-1796112454375-12", tag: "sekisho:scalp_fast:tick_momentum" } } });
    const headers = { Authorization: "Bearer floor-token", "Accept-Datetime-Format": "RFC3339", Accept: "application/json", "Content-Type": "application/json" };
    const u = new URL(url);
    const conn = how === "socket" ? await d.connect({ hostname: u.hostname, port: Number(u.port) }) : undefined;
    conn?.setNoDelay(true);
    const buf = new Uint8Array(65536);
    const enc = new TextEncoder();
    for (let i = 0; i < n; i++) {
      const sentAt = now();
      if (conn) {
        const head = `POST /orders HTTP/1.1\r\nHost: ${u.host}\r\nx-sent-at: ${sentAt}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}Content-Length: ${enc.encode(body).length}\r\n\r\n`;
        await conn.write(enc.encode(head + body));
        await conn.read(buf); // the whole small answer arrives in one read on loopback
      } else {
        await (await fetch(`${url}/orders`, { method: "POST", headers: { ...headers, "x-sent-at": String(sentAt) }, body })).text();
      }
      await delay(gapMs);
    }
    conn?.close();
  }
  console.log(out.join("\n"));
}

const clientArg = deno?.args.find((a) => a.startsWith("--client="));
if (clientArg) {
  const [url, n, gap] = deno!.args.filter((a) => !a.startsWith("--"));
  await client(clientArg.slice("--client=".length), url!, Number(n), Number(gap));
}
