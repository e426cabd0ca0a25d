// A response body read chunk by chunk into one reused buffer, where the body allows it (a byte
// stream: fetch's body on Deno and Node). Deno hands out every default read of a fetch body in a
// fresh 64 KiB ArrayBuffer, however few bytes it holds: at 2,000 price lines a second that was
// ~40 MB/s of memory outside the JavaScript heap, which V8 answers with GCs of its own ("external
// memory pressure"), full ones among them, on the event loop. A BYOB read into the buffer of the
// previous one allocates nothing. Other bodies are read the default way.

/** Bytes asked for per read (what Deno reads at most anyway). */
const CHUNK_BYTES = 64 * 1024;

export interface BodyChunks {
  /** The next chunk; it is valid until the next call (its bytes are then overwritten). */
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

export function bodyChunks(body: ReadableStream<Uint8Array>): BodyChunks {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream.
  }
  if (!byob) {
    const r = body.getReader();
    return {
      read: async () => {
        const x = await r.read();
        return x.done ? { done: true } : { done: false, value: x.value };
      },
      cancel: (reason) => r.cancel(reason),
      releaseLock: () => r.releaseLock(),
    };
  }
  const reader = byob;
  let buf = new Uint8Array(CHUNK_BYTES);
  return {
    async read() {
      const x = await reader.read(buf);
      // The buffer was transferred to the read; its bytes come back in x.value's.
      if (x.value) buf = new Uint8Array(x.value.buffer);
      return x.done ? { done: true } : { done: false, value: x.value! };
    },
    cancel: (reason) => reader.cancel(reason),
    releaseLock: () => reader.releaseLock(),
  };
}
