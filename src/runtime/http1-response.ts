// Reading one HTTP/1.1 response from a byte stream, chunk by chunk as the socket delivers it:
// the status line, the headers, then the body framed by Content-Length, chunked transfer coding,
// or the end of the connection. Pure (bytes in, a response or a reason out), so the framing rules
// are tested without a socket. Only what an API client needs: no compression (requests ask for
// identity and a compressed answer is refused), no trailers kept, no upgrades.

export interface Http1Response {
  status: number;
  headers: Headers;
  body: string;
  /** Whether the connection may carry the next request (keep-alive, the body fully framed). */
  reusable: boolean;
}

/** The response could not be read: the caller gets no answer (for a write, its outcome is unknown). */
export class Http1ProtocolError extends Error {
  override name = "Http1ProtocolError";
}

/** Longest status line plus headers accepted. */
const MAX_HEAD_BYTES = 64 * 1024;

const CRLF = [13, 10] as const;

function indexOfCrlf(b: Uint8Array, from: number): number {
  for (let i = from; i + 1 < b.length; i++) if (b[i] === CRLF[0] && b[i + 1] === CRLF[1]) return i;
  return -1;
}

function indexOfHeadEnd(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8");

type Framing = { kind: "length"; left: number } | { kind: "chunked"; left: number; trailers: boolean } | { kind: "close" };

/** Feed it the bytes of one response as they arrive; `push` returns the response once complete. */
export class Http1ResponseReader {
  #buf: Uint8Array = new Uint8Array(0);
  #head: { status: number; headers: Headers; keepAlive: boolean } | undefined;
  #framing: Framing | undefined;
  readonly #body: Uint8Array[] = [];

  /** `head`: the request was HEAD-like (no body whatever the headers say). */
  constructor(private readonly noBody = false) {}

  /** More bytes. Returns the response when it is complete; throws Http1ProtocolError on nonsense. */
  push(chunk: Uint8Array): Http1Response | undefined {
    this.#buf = concat(this.#buf, chunk);
    if (!this.#head && !this.#readHead()) return undefined;
    return this.#readBody();
  }

  /** The connection ended: the response if "until close" framed it, else an error. */
  end(): Http1Response {
    if (this.#head && this.#framing?.kind === "close") {
      this.#body.push(this.#buf);
      return this.#done(false);
    }
    throw new Http1ProtocolError(this.#head ? "connection closed before the response body was complete" : "connection closed before a response arrived");
  }

  #readHead(): boolean {
    for (;;) {
      const end = indexOfHeadEnd(this.#buf);
      if (end < 0) {
        if (this.#buf.length > MAX_HEAD_BYTES) throw new Http1ProtocolError("response head too long");
        return false;
      }
      const lines = latin1.decode(this.#buf.subarray(0, end)).split("\r\n");
      this.#buf = this.#buf.subarray(end + 4);
      const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? "");
      if (!m) throw new Http1ProtocolError(`not an HTTP/1.x status line: ${JSON.stringify((lines[0] ?? "").slice(0, 40))}`);
      const status = Number(m[2]);
      const headers = new Headers();
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        if (colon <= 0) throw new Http1ProtocolError("malformed response header line");
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      // 1xx answers (100 Continue) precede the real one.
      if (status >= 100 && status < 200) continue;
      const connection = (headers.get("connection") ?? "").toLowerCase();
      const keepAlive = m[1] === "1" ? !connection.split(",").some((t) => t.trim() === "close") : connection.split(",").some((t) => t.trim() === "keep-alive");
      const encoding = (headers.get("content-encoding") ?? "identity").toLowerCase();
      if (encoding !== "identity") throw new Http1ProtocolError(`unexpected content-encoding ${encoding}`);
      this.#head = { status, headers, keepAlive };
      const te = headers.get("transfer-encoding");
      const cl = headers.get("content-length");
      if (this.noBody || status === 204 || status === 304) this.#framing = { kind: "length", left: 0 };
      else if (te !== null) {
        if (te.toLowerCase().split(",").map((t) => t.trim()).pop() !== "chunked") throw new Http1ProtocolError(`unsupported transfer-encoding ${te}`);
        this.#framing = { kind: "chunked", left: -1, trailers: false };
      } else if (cl !== null) {
        if (!/^\d+$/.test(cl)) throw new Http1ProtocolError(`bad content-length ${JSON.stringify(cl)}`);
        this.#framing = { kind: "length", left: Number(cl) };
      } else this.#framing = { kind: "close" };
      return true;
    }
  }

  #readBody(): Http1Response | undefined {
    const f = this.#framing!;
    if (f.kind === "close") return undefined;
    if (f.kind === "length") {
      const take = Math.min(f.left, this.#buf.length);
      this.#body.push(this.#buf.subarray(0, take));
      this.#buf = this.#buf.subarray(take);
      f.left -= take;
      return f.left === 0 ? this.#done(this.#head!.keepAlive && this.#buf.length === 0) : undefined;
    }
    for (;;) {
      if (f.trailers) {
        // Trailer lines until an empty one; their content is not kept.
        const eol = indexOfCrlf(this.#buf, 0);
        if (eol < 0) return undefined;
        this.#buf = this.#buf.subarray(eol + 2);
        if (eol === 0) return this.#done(this.#head!.keepAlive && this.#buf.length === 0);
        continue;
      }
      if (f.left < 0) {
        const eol = indexOfCrlf(this.#buf, 0);
        if (eol < 0) return undefined;
        const sizeText = latin1.decode(this.#buf.subarray(0, eol)).split(";")[0]!.trim();
        if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new Http1ProtocolError(`bad chunk size ${JSON.stringify(sizeText.slice(0, 20))}`);
        this.#buf = this.#buf.subarray(eol + 2);
        f.left = parseInt(sizeText, 16);
        if (f.left === 0) {
          f.trailers = true;
          continue;
        }
      }
      // The chunk's data, then its CRLF.
      if (this.#buf.length < f.left + 2) {
        if (this.#buf.length > f.left) return undefined; // the data is here, the CRLF not yet
        this.#body.push(this.#buf);
        f.left -= this.#buf.length;
        this.#buf = new Uint8Array(0);
        return undefined;
      }
      if (this.#buf[f.left] !== 13 || this.#buf[f.left + 1] !== 10) throw new Http1ProtocolError("chunk not followed by CRLF");
      this.#body.push(this.#buf.subarray(0, f.left));
      this.#buf = this.#buf.subarray(f.left + 2);
      f.left = -1;
    }
  }

  #done(reusable: boolean): Http1Response {
    const h = this.#head!;
    const size = this.#body.reduce((n, b) => n + b.length, 0);
    const all = new Uint8Array(size);
    let at = 0;
    for (const b of this.#body) {
      all.set(b, at);
      at += b.length;
    }
    return { status: h.status, headers: h.headers, body: utf8.decode(all), reusable };
  }
}
