// The pricing stream's body, chunk by chunk, as lines' results: each line is tried by the byte
// scanner where it lies in the chunk (price-scan.ts: no decoding, no copy); a line it declines is
// decoded and read by the schema path (price-line.ts), which names what is wrong with a bad one.
// A line cut by a chunk boundary (anywhere: mid-line, mid-character) is carried over and read
// whole once its "\n" arrives. The lines come out exactly as NdjsonLineSplitter (ndjson.ts) would
// give them: per line, a trailing "\r" dropped, blank lines skipped, a byte-order mark dropped at
// the start of the body only (as a streaming TextDecoder does), undecodable bytes as U+FFFD.
import type { EpochMs, Tick } from "../core/types.ts";
import { MAX_LINE_CHARS } from "./ndjson.ts";
import { parsePricingLine } from "./price-line.ts";
import { DECLINED, HEARTBEAT, PRICE, PriceLineScanner } from "./price-scan.ts";

export { HEARTBEAT, PRICE };
/** A line that was counted and skipped (its reason in `reason`/`detail`). */
export const MALFORMED = 3;
/** No more complete lines in what was fed so far. */
export const NONE = 0;
export type LineResult = typeof NONE | typeof HEARTBEAT | typeof PRICE | typeof MALFORMED;

const EMPTY = new Uint8Array(0);

export class PricingLineReader {
  /** After PRICE: the tick. */
  tick: Tick | undefined;
  /** After HEARTBEAT: its time. */
  time: EpochMs = 0;
  /** After MALFORMED: why. */
  reason = "";
  detail: string | undefined;
  /** Lines dropped for exceeding MAX_LINE_CHARS bytes (each also read as MALFORMED, line_too_long, once its end arrives). */
  oversized = 0;
  /** Lines the byte scanner declined (read by the schema path instead). */
  declined = 0;

  readonly #scan = new PriceLineScanner();
  // ignoreBOM: each line is decoded on its own, and only the body's first line may lose a BOM.
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  #b: Uint8Array = EMPTY;
  #dv: DataView = new DataView(EMPTY.buffer);
  #pos = 0;
  /** The last "\n" in #b (-1: none): lines that start at or before it are whole in #b, so no read runs off its end. */
  #lastNl = -1;
  /** The start of a line cut by the end of the previous chunk(s), and its length. */
  #carry: Uint8Array = EMPTY;
  #carryLen = 0;
  /** Dropping an oversized line until its "\n". */
  #skipping = false;
  #firstLine = true;
  #ended = false;

  /** The next chunk of the body (after next() returned NONE for the previous one). */
  feed(chunk: Uint8Array): void {
    this.#b = chunk;
    this.#dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#pos = 0;
    let nl = chunk.length - 1;
    while (nl >= 0 && chunk[nl] !== 10) nl--;
    this.#lastNl = nl;
  }

  /** The end of the body: a last line without "\n" is still a line. */
  end(): void {
    this.#ended = true;
    this.feed(this.#skipping || this.#carryLen === 0 ? EMPTY : Uint8Array.of(10));
  }

  /**
   * The next line's result, or NONE when the input fed so far holds no further complete line. A
   * tick carries the receipt stamps given (receivedMono only when given).
   */
  next(receivedAt: EpochMs, receivedMono?: number): LineResult {
    for (;;) {
      if (this.#carryLen > 0 || this.#skipping) {
        const r = this.#finishCarried(receivedAt, receivedMono);
        if (r === NONE && this.#pos >= this.#b.length) return NONE;
        if (r !== NONE) return r;
        continue;
      }
      const b = this.#b;
      const start = this.#pos;
      if (start > this.#lastNl) {
        // No "\n" left in this chunk: keep the start of the line for the next one.
        this.#keep(b, start, b.length);
        this.#pos = b.length;
        return NONE;
      }
      if (!this.#firstLine) {
        const k = this.#scan.scan(b, this.#dv, start, receivedAt, receivedMono);
        if (k !== DECLINED) {
          this.#pos = this.#scan.end;
          return this.#fast(k);
        }
      }
      let nl = start;
      while (b[nl] !== 10) nl++;
      this.#pos = nl + 1;
      const r = this.#slow(b, start, nl, receivedAt, receivedMono);
      if (r !== NONE) return r;
    }
  }

  #fast(k: typeof HEARTBEAT | typeof PRICE): LineResult {
    if (k === PRICE) this.tick = this.#scan.tick;
    else this.time = this.#scan.time;
    return k;
  }

  /** Complete the carried line with the current chunk up to its first "\n". */
  #finishCarried(receivedAt: EpochMs, receivedMono: number | undefined): LineResult {
    const b = this.#b;
    if (this.#pos > this.#lastNl) {
      if (!this.#skipping) this.#keep(b, this.#pos, b.length);
      this.#pos = b.length;
      return NONE;
    }
    let nl = this.#pos;
    while (b[nl] !== 10) nl++;
    const from = this.#pos;
    this.#pos = nl + 1;
    if (this.#skipping) {
      this.#skipping = false;
      this.#firstLine = false;
      this.reason = "line_too_long";
      this.detail = `over ${MAX_LINE_CHARS} bytes without a newline`;
      return MALFORMED;
    }
    this.#keep(b, from, nl + 1); // with its "\n", so the scanner sees a whole line
    const line = this.#carry;
    const len = this.#carryLen;
    this.#carryLen = 0;
    if (!this.#firstLine) {
      const k = this.#scan.scan(line, new DataView(line.buffer, line.byteOffset, line.byteLength), 0, receivedAt, receivedMono);
      if (k !== DECLINED) return this.#fast(k);
    }
    return this.#slow(line, 0, len - 1, receivedAt, receivedMono);
  }

  /** Append b[from..to) to the carried line (dropping it, counted, past MAX_LINE_CHARS bytes). */
  #keep(b: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n === 0) return;
    const need = this.#carryLen + n;
    if (need > MAX_LINE_CHARS + 1 && !this.#ended) {
      this.#carryLen = 0;
      this.#carry = EMPTY;
      this.#skipping = true;
      this.oversized++;
      return;
    }
    if (need > this.#carry.length) {
      const grown = new Uint8Array(Math.max(need, this.#carry.length * 2, 1024));
      grown.set(this.#carry.subarray(0, this.#carryLen));
      this.#carry = grown;
    }
    this.#carry.set(b.subarray(from, to), this.#carryLen);
    this.#carryLen = need;
  }

  /** The schema path for the line b[start..end) (without its "\n"); NONE for a blank line. */
  #slow(b: Uint8Array, start: number, end: number, receivedAt: EpochMs, receivedMono: number | undefined): LineResult {
    if (this.#firstLine) {
      this.#firstLine = false;
      if (b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf && end - start >= 3) start += 3;
    }
    if (end === start) return NONE;
    let text = this.#decoder.decode(b.subarray(start, end));
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim().length === 0) return NONE;
    this.declined++;
    const r = parsePricingLine(text, receivedAt);
    if (r.kind === "price") {
      if (receivedMono !== undefined) r.tick.receivedMono = receivedMono;
      this.tick = r.tick;
      return PRICE;
    }
    if (r.kind === "heartbeat") {
      this.time = r.time;
      return HEARTBEAT;
    }
    this.reason = r.reason;
    this.detail = r.detail;
    return MALFORMED;
  }
}
