// OANDA's streams are chunked HTTP bodies of newline-delimited JSON. Chunk boundaries fall
// anywhere (mid-line, mid-character), so bytes are decoded with a streaming UTF-8 decoder and
// reassembled into whole lines here; nothing upstream ever sees a partial line.

/** Longest line accepted (a PRICE line is ~500 bytes); longer is dropped as garbage. */
export const MAX_LINE_CHARS = 1_000_000;

export class NdjsonLineSplitter {
  readonly #decoder = new TextDecoder("utf-8");
  #buf = "";
  /** Lines dropped for exceeding MAX_LINE_CHARS. */
  oversized = 0;
  #skipping = false;

  /** Feed bytes; returns the complete, non-empty lines they finish (without "\n" or "\r"). */
  push(chunk: Uint8Array): string[] {
    return this.#take(this.#decoder.decode(chunk, { stream: true }));
  }

  /** End of body: flush the decoder; a final line without "\n" is still a line. */
  end(): string[] {
    const out = this.#take(this.#decoder.decode());
    const last = this.#buf;
    this.#buf = "";
    if (!this.#skipping) pushLine(out, last);
    this.#skipping = false;
    return out;
  }

  #take(text: string): string[] {
    const out: string[] = [];
    let start = 0;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", start)) {
      const piece = text.slice(start, i);
      if (this.#skipping) this.#skipping = false;
      else pushLine(out, this.#buf + piece);
      this.#buf = "";
      start = i + 1;
    }
    if (!this.#skipping) this.#buf += text.slice(start);
    if (this.#buf.length > MAX_LINE_CHARS) {
      this.#buf = "";
      this.#skipping = true;
      this.oversized++;
    }
    return out;
  }
}

function pushLine(out: string[], line: string): void {
  const l = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (l.trim().length > 0) out.push(l);
}

/** Yield the lines of an NDJSON body as they complete. Cancels the body if the consumer stops early. */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const splitter = new NdjsonLineSplitter();
  let done = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        yield* splitter.end();
        return;
      }
      yield* splitter.push(r.value);
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
