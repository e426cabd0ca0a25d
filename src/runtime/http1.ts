// A keep-alive HTTP/1.1 client for the order path's writes. Measured on Deno 2.9 on loopback
// (docs/performance.md): fetch adds 100-200 µs between the call and the request's arrival over
// writing the same bytes to an open socket, and the body of a fetch call leaves only when the
// caller yields to the event loop. Here the request is one buffer written to an idle connection
// before request() returns: on Deno through Deno.connect / Deno.connectTls, whose write is
// attempted at once; on Node and Bun through node:net / node:tls, whose write() does the same.
// One request per connection at a time; a second concurrent request opens a second connection.
// Never retries: a request that may have left is the caller's to settle (an order is never sent
// twice), and a connection that fails is dropped, never reused.
import { Http1ProtocolError, type Http1Response, Http1ResponseReader } from "./http1-response.ts";

export { Http1ProtocolError, type Http1Response } from "./http1-response.ts";

/** A connected byte stream: write at once, bytes and the end reported through the callbacks. */
interface Socket {
  write(bytes: Uint8Array): void;
  close(): void;
  /** Whether the open socket keeps the process alive (only while a request waits on it). */
  hold(on: boolean): void;
}

interface SocketEvents {
  data(bytes: Uint8Array): void;
  end(error?: unknown): void;
}

// deno-lint-ignore no-explicit-any
const deno = (globalThis as any).Deno as DenoNet | undefined;

interface DenoConn {
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  close(): void;
  setNoDelay?(on?: boolean): void;
  ref?(): void;
  unref?(): void;
}
interface DenoNet {
  connect(o: { hostname: string; port: number }): Promise<DenoConn>;
  connectTls(o: { hostname: string; port: number }): Promise<DenoConn>;
}

async function denoSocket(d: DenoNet, url: URL, ev: SocketEvents): Promise<Socket> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const conn = url.protocol === "https:" ? await d.connectTls({ hostname, port }) : await d.connect({ hostname, port });
  conn.setNoDelay?.(true);
  let open = true;
  const fail = (e?: unknown) => {
    if (!open) return;
    open = false;
    try {
      conn.close();
    } catch {
      // already closed
    }
    ev.end(e);
  };
  void (async () => {
    const buf = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return fail();
        ev.data(buf.slice(0, n));
      }
    } catch (e) {
      fail(e);
    }
  })();
  const writeRest = async (bytes: Uint8Array, from: number) => {
    for (let at = from; at < bytes.length;) at += await conn.write(bytes.subarray(at));
  };
  return {
    write(bytes) {
      // The first write call is made now (Deno attempts it at once); a partial write finishes later.
      conn.write(bytes).then((n) => (n < bytes.length ? writeRest(bytes, n) : undefined)).catch(fail);
    },
    close: () => fail(),
    hold: (on) => (on ? conn.ref?.() : conn.unref?.()),
  };
}

/** node:net / node:tls, loaded on the first connection (never on Deno; not at start in the binary). */
async function nodeSocket(url: URL, ev: SocketEvents): Promise<Socket> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const [net, tls] = await Promise.all([import("node:net"), import("node:tls")]);
  return new Promise((resolve, reject) => {
    const s = url.protocol === "https:" ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host }) : net.connect({ host, port });
    let connected = false;
    s.setNoDelay(true);
    s.once(url.protocol === "https:" ? "secureConnect" : "connect", () => {
      connected = true;
      resolve({ write: (b) => void s.write(b), close: () => s.destroy(), hold: (on) => void (on ? s.ref() : s.unref()) });
    });
    s.on("data", (b: Uint8Array) => ev.data(b));
    s.once("error", (e) => (connected ? ev.end(e) : reject(e)));
    s.once("close", () => ev.end());
  });
}

/** One connection: one request at a time. */
class Connection {
  #socket: Socket | undefined;
  #reader: Http1ResponseReader | undefined;
  #settle: ((r: Http1Response | Error) => void) | undefined;
  closed = false;

  static async open(url: URL): Promise<Connection> {
    const c = new Connection();
    const events: SocketEvents = { data: (b) => c.#data(b), end: (e) => c.#end(e) };
    c.#socket = deno?.connect ? await denoSocket(deno, url, events) : await nodeSocket(url, events);
    c.#socket.hold(false);
    return c;
  }

  /** Write the request now; the promise settles with the response or the reason there is none. */
  send(bytes: Uint8Array, noBody: boolean): Promise<Http1Response> {
    const reader = new Http1ResponseReader(noBody);
    this.#reader = reader;
    const answer = new Promise<Http1Response>((resolve, reject) => {
      this.#settle = (r) => (r instanceof Error ? reject(r) : resolve(r));
    });
    this.#socket!.write(bytes);
    this.#socket!.hold(true);
    return answer;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#socket?.close();
  }

  #data(b: Uint8Array): void {
    if (!this.#reader) {
      // Bytes nobody asked for: the connection is out of step; drop it.
      this.close();
      return;
    }
    let r: Http1Response | undefined;
    try {
      r = this.#reader.push(b);
    } catch (e) {
      this.#finish(e as Error);
      this.close();
      return;
    }
    if (r) {
      if (!r.reusable) this.close();
      this.#finish(r);
    }
  }

  #end(e?: unknown): void {
    this.closed = true;
    if (!this.#reader) return;
    let r: Http1Response | Error;
    if (e !== undefined) r = new Http1ProtocolError(`connection failed: ${e instanceof Error ? e.message : String(e)}`);
    else {
      try {
        r = this.#reader.end();
      } catch (err) {
        r = err as Error;
      }
    }
    this.#finish(r);
  }

  #finish(r: Http1Response | Error): void {
    this.#socket?.hold(false);
    const settle = this.#settle;
    this.#reader = undefined;
    this.#settle = undefined;
    settle?.(r);
  }
}

export interface Http1ClientOptions {
  /** Awaited before each new connection (a connection-rate limit). */
  beforeConnect?: (signal?: AbortSignal) => Promise<void>;
}

export interface RequestOptions {
  /** Abort: the connection is closed and the request rejects with the signal's reason. */
  signal?: AbortSignal;
  /** No complete answer within this many ms of the call: rejects with a TimeoutError. */
  timeoutMs?: number;
}

const encoder = new TextEncoder();

/** Requests to one origin (scheme, host, port) over keep-alive connections. */
export class Http1Client {
  readonly #url: URL;
  readonly #idle: Connection[] = [];
  #warming: Promise<void> | undefined;
  /** Connections opened so far (for tests and metrics). */
  connectionsOpened = 0;

  constructor(origin: string, private readonly o: Http1ClientOptions = {}) {
    this.#url = new URL(origin);
    if (this.#url.protocol !== "http:" && this.#url.protocol !== "https:") throw new Error(`Http1Client: ${this.#url.protocol} is not http: or https:`);
  }

  /** Open a connection ahead of the first request, so that request does not wait for one. */
  warm(): Promise<void> {
    if (this.#idle.some((c) => !c.closed)) return Promise.resolve();
    this.#warming ??= this.#connect().then((c) => void this.#idle.push(c), () => undefined).finally(() => {
      this.#warming = undefined;
    });
    return this.#warming;
  }

  /**
   * Send one request. With an idle connection the request is written before this returns; else a
   * connection is opened first. The answer (any status) or an error: an error after the write
   * means the request may have been received.
   */
  request(method: string, pathAndQuery: string, headers: Record<string, string>, body: string | undefined, o: RequestOptions = {}): Promise<Http1Response> {
    const { signal } = o;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const bytes = this.#serialize(method, pathAndQuery, headers, body);
    let c: Connection | undefined;
    while ((c = this.#idle.pop()) && c.closed);
    if (c) return this.#exchange(c, bytes, method === "HEAD", o, performance.now());
    const started = performance.now();
    return this.#connect(signal).then((fresh) => this.#exchange(fresh, bytes, method === "HEAD", o, started));
  }

  /**
   * Build the request's bytes exactly as request() would, and write nothing: the rehearsal of a
   * write (src/gate/rehearsal.ts) keeps this code warm for the real one. Returns the byte count.
   */
  rehearse(method: string, pathAndQuery: string, headers: Record<string, string>, body: string | undefined): number {
    return this.#serialize(method, pathAndQuery, headers, body).length;
  }

  /** Close every idle connection. */
  close(): void {
    for (const c of this.#idle.splice(0)) c.close();
  }

  async #connect(signal?: AbortSignal): Promise<Connection> {
    await this.o.beforeConnect?.(signal);
    const c = await Connection.open(this.#url);
    this.connectionsOpened++;
    if (signal?.aborted) {
      c.close();
      throw signal.reason;
    }
    return c;
  }

  #exchange(c: Connection, bytes: Uint8Array, noBody: boolean, o: RequestOptions, started: number): Promise<Http1Response> {
    const answer = c.send(bytes, noBody);
    // Everything below happens after the write: the timer and the abort listener are not on the
    // way from the caller to the request's arrival.
    const { signal, timeoutMs } = o;
    if (!signal && timeoutMs === undefined) return answer.then((r) => this.#release(c, r));
    return new Promise((resolve, reject) => {
      const fail = (reason: unknown) => {
        c.close();
        reject(reason);
      };
      const onAbort = () => fail(signal!.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      // The timeout counts from the call (a new connection's set-up included).
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => fail(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError")), Math.max(0, timeoutMs - (performance.now() - started)));
      answer.then((r) => resolve(this.#release(c, r)), reject).finally(() => {
        signal?.removeEventListener("abort", onAbort);
        clearTimeout(timer);
      });
    });
  }

  #release(c: Connection, r: Http1Response): Http1Response {
    if (r.reusable && !c.closed && this.#idle.length < 4) this.#idle.push(c);
    else c.close();
    return r;
  }

  #serialize(method: string, pathAndQuery: string, headers: Record<string, string>, body: string | undefined): Uint8Array {
    const payload = body === undefined ? undefined : encoder.encode(body);
    let head = `${method} ${pathAndQuery} HTTP/1.1\r\nHost: ${this.#url.host}\r\nAccept-Encoding: identity\r\n`;
    for (const [k, v] of Object.entries(headers)) {
      if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new TypeError(`header ${k} holds a line break`);
      head += `${k}: ${v}\r\n`;
    }
    if (payload) head += `Content-Length: ${payload.length}\r\n`;
    head += "\r\n";
    const h = encoder.encode(head);
    if (!payload) return h;
    const out = new Uint8Array(h.length + payload.length);
    out.set(h, 0);
    out.set(payload, h.length);
    return out;
  }
}
