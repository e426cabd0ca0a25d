// The order path's HTTP/1.1 client: response framing (pure, any split of the bytes), and the
// client against real servers on loopback: keep-alive reuse, a connection the server closed while
// idle, and the failures after a request left (no answer, a timeout, nonsense), each of which
// rejects without ever sending the request a second time.
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Http1Client, Http1ProtocolError } from "../../src/runtime/http1.ts";
import { Http1ResponseReader } from "../../src/runtime/http1-response.ts";

const enc = new TextEncoder();

interface Wire {
  status: number;
  headers: [string, string][];
  body: string;
  framing: "length" | "chunked" | "close";
  chunkSizes: number[];
  keepAlive: boolean;
}

function serialize(w: Wire): Uint8Array {
  const body = enc.encode(w.body);
  const head = [`HTTP/1.1 ${w.status} Whatever`, ...w.headers.map(([k, v]) => `${k}: ${v}`)];
  if (!w.keepAlive) head.push("Connection: close");
  let payload: string | Uint8Array = body;
  if (w.framing === "length") head.push(`Content-Length: ${body.length}`);
  if (w.framing === "chunked") {
    head.push("Transfer-Encoding: chunked");
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const n of w.chunkSizes) {
      if (at >= body.length) break;
      const piece = body.subarray(at, at + n);
      at += piece.length;
      parts.push(enc.encode(`${piece.length.toString(16)};ext=1\r\n`), piece, enc.encode("\r\n"));
    }
    if (at < body.length) parts.push(enc.encode(`${(body.length - at).toString(16)}\r\n`), body.subarray(at), enc.encode("\r\n"));
    parts.push(enc.encode("0\r\nX-Trailer: t\r\n\r\n"));
    payload = concat(parts);
  }
  return concat([enc.encode(`${head.join("\r\n")}\r\n\r\n`), payload as Uint8Array]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes cut at the given points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  return out;
}

const wireArb: fc.Arbitrary<Wire> = fc.record({
  status: fc.constantFrom(200, 201, 400, 404, 429, 503),
  headers: fc.array(fc.tuple(fc.constantFrom("RequestID", "Retry-After", "X-Thing"), fc.stringMatching(/^[ -~]{0,12}$/).map((s) => s.trim())), { maxLength: 3 }),
  body: fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 2 }), fc.constant('{"orderFillTransaction":{"id":"7","price":"1.10008"}}')),
  framing: fc.constantFrom<Wire["framing"]>("length", "chunked", "close"),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 8 }),
  keepAlive: fc.boolean(),
});

describe("reading a response", () => {
  it("gives the status, headers and body whatever the framing and however the bytes are split", () => {
    fc.assert(fc.property(wireArb, fc.array(fc.nat(), { maxLength: 12 }), (w, cuts) => {
      const reader = new Http1ResponseReader();
      let got;
      for (const piece of split(serialize(w), cuts).filter((p) => p.length > 0)) {
        expect(got).toBeUndefined(); // nothing is answered before its last byte
        got = reader.push(piece) ?? got;
      }
      if (w.framing === "close") {
        expect(got).toBeUndefined();
        got = reader.end();
      }
      expect(got).toBeDefined();
      expect(got!.status).toBe(w.status);
      expect(got!.body).toBe(w.body);
      for (const [k] of w.headers) expect(got!.headers.has(k)).toBe(true);
      expect(got!.reusable).toBe(w.keepAlive && w.framing !== "close");
    }), { numRuns: 400 });
  });

  it("a 100 Continue before the answer is skipped; a body cut short by the end of the connection is an error", () => {
    const r = new Http1ResponseReader();
    expect(r.push(enc.encode("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}"))).toMatchObject({ status: 201, body: "{}" });
    const cut = new Http1ResponseReader();
    cut.push(enc.encode("HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\n{}"));
    expect(() => cut.end()).toThrow(Http1ProtocolError);
    expect(() => new Http1ResponseReader().end()).toThrow(/before a response arrived/);
  });

  it("nonsense is refused, not guessed at: a bad status line, a bad chunk size, a compressed body", () => {
    expect(() => new Http1ResponseReader().push(enc.encode("SMTP ready\r\n\r\n"))).toThrow(Http1ProtocolError);
    expect(() => new Http1ResponseReader().push(enc.encode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))).toThrow(/chunk size/);
    expect(() => new Http1ResponseReader().push(enc.encode("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 1\r\n\r\nx"))).toThrow(/content-encoding/);
  });
});

/** A loopback server that hands each complete request (head + Content-Length body) to `answer`. */
async function server(answer: (req: string, socket: Socket, n: number) => void): Promise<{ origin: string; requests: string[]; connections: number; sockets: Set<Socket>; srv: Server }> {
  const state = { requests: [] as string[], connections: 0, sockets: new Set<Socket>() };
  const srv = createServer((socket) => {
    state.connections++;
    state.sockets.add(socket);
    socket.on("close", () => state.sockets.delete(socket));
    let buf = "";
    socket.on("data", (d) => {
      buf += d.toString("latin1");
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        const req = buf.slice(0, end + 4 + len);
        buf = buf.slice(end + 4 + len);
        state.requests.push(req);
        answer(req, socket, state.requests.length);
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  servers.push(srv);
  return Object.assign(state, { origin: `http://127.0.0.1:${(srv.address() as { port: number }).port}`, srv });
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

const ok = (body: string) => `HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe("Http1Client", () => {
  it("keeps one connection for requests one after another, writing method, path, headers and body as given", async () => {
    const s = await server((req, socket, n) => socket.write(ok(`{"n":${n}}`)));
    const c = new Http1Client(s.origin);
    for (let i = 1; i <= 3; i++) {
      const r = await c.request("POST", "/v3/accounts/a/orders?x=1", { Authorization: "Bearer t", "Content-Type": "application/json" }, `{"order":${i}}`);
      expect(r).toMatchObject({ status: 201, body: `{"n":${i}}` });
    }
    expect(s.connections).toBe(1);
    expect(c.connectionsOpened).toBe(1);
    expect(s.requests[2]).toMatch(/^POST \/v3\/accounts\/a\/orders\?x=1 HTTP\/1\.1\r\n/);
    expect(s.requests[2]).toMatch(/\r\nAuthorization: Bearer t\r\n/);
    expect(s.requests[2]).toMatch(/\r\nContent-Length: 11\r\n\r\n\{"order":3\}$/);
    c.close();
  });

  it("a connection the server closed while idle is not used: the next request opens a new one and is answered", async () => {
    const s = await server((_req, socket) => socket.write(ok("{}")));
    const c = new Http1Client(s.origin);
    await c.request("POST", "/a", {}, "{}");
    for (const sock of s.sockets) sock.end();
    await new Promise((r) => setTimeout(r, 50));
    expect(await c.request("POST", "/b", {}, "{}")).toMatchObject({ status: 201 });
    expect(s.connections).toBe(2);
    expect(s.requests).toHaveLength(2);
    c.close();
  });

  it("concurrent requests each get a connection of their own", async () => {
    const s = await server((req, socket) => setTimeout(() => socket.write(ok(JSON.stringify(req.slice(0, 6)))), 20));
    const c = new Http1Client(s.origin);
    const [a, b] = await Promise.all([c.request("PUT", "/x", {}, "{}"), c.request("POST", "/y", {}, "{}")]);
    expect([a.body, b.body]).toEqual(['"PUT /x"', '"POST /"']);
    expect(s.connections).toBe(2);
    c.close();
  });

  it("the server takes the request and closes without answering: rejects, and the request went out once", async () => {
    const s = await server((_req, socket) => socket.destroy());
    const c = new Http1Client(s.origin);
    await expect(c.request("POST", "/orders", {}, "{}")).rejects.toThrow(Http1ProtocolError);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.requests).toHaveLength(1);
    // The next request does not reuse the dead connection.
    await expect(c.request("POST", "/orders", {}, "{}")).rejects.toThrow(Http1ProtocolError);
    expect(s.connections).toBe(2);
  });

  it("no answer in time: a TimeoutError, the connection dropped, the request sent once", async () => {
    const s = await server(() => undefined);
    const c = new Http1Client(s.origin);
    const t0 = performance.now();
    const e = await c.request("POST", "/orders", {}, "{}", { timeoutMs: 150 }).catch((x: unknown) => x);
    expect((e as Error).name).toBe("TimeoutError");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.requests).toHaveLength(1);
    expect(s.sockets.size).toBe(0);
  });

  it("the caller's abort rejects with its reason; an answer with Connection: close is not reused", async () => {
    const s = await server((req, socket) => {
      if (req.startsWith("POST /slow")) return;
      socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
    });
    const c = new Http1Client(s.origin);
    const abort = new AbortController();
    const slow = c.request("POST", "/slow", {}, "{}", { signal: abort.signal });
    abort.abort(new Error("caller stopped"));
    await expect(slow).rejects.toThrow("caller stopped");
    await c.request("GET", "/a", {}, undefined);
    await c.request("GET", "/b", {}, undefined);
    expect(s.connections).toBe(3);
  });

  it("a header value with a line break is refused before anything is sent", async () => {
    const s = await server((_req, socket) => socket.write(ok("{}")));
    const c = new Http1Client(s.origin);
    expect(() => c.request("POST", "/x", { "X-Evil": "a\r\nInjected: 1" }, "{}")).toThrow(/line break/);
    expect(s.requests).toHaveLength(0);
  });
});
