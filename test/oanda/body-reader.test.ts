// bodyChunks gives a body's bytes exactly as the default reader does, whether it reads into one
// reused buffer (a byte stream, as fetch's body is) or falls back to default reads.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bodyChunks } from "../../src/oanda/body-reader.ts";

function byteStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    type: "bytes",
    pull(c) {
      if (i < chunks.length) return c.enqueue(chunks[i++]!.slice());
      c.close();
      // A BYOB read pending at the close settles (done) once the source answers it with 0 bytes.
      c.byobRequest?.respond(0);
    },
  });
}

function plainStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]!.slice());
      else c.close();
    },
  });
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<{ bytes: number[]; buffers: Set<number> }> {
  const r = bodyChunks(body);
  const bytes: number[] = [];
  const buffers = new Set<number>();
  for (;;) {
    const x = await r.read();
    if (x.done) break;
    // Copied out before the next read, as a consumer must.
    bytes.push(...x.value);
    buffers.add(x.value.buffer.byteLength);
  }
  r.releaseLock();
  return { bytes, buffers };
}

// A byte stream cannot carry an empty chunk.
const chunks = fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 40 });

describe("bodyChunks", () => {
  it("property: a byte stream's bytes, in order, each read in the 64 KiB buffer of the one before", async () => {
    await fc.assert(fc.asyncProperty(chunks, async (cs) => {
      const { bytes, buffers } = await readAll(byteStream(cs));
      expect(bytes).toEqual(cs.flatMap((c) => [...c]));
      for (const b of buffers) expect(b).toBe(64 * 1024);
    }), { numRuns: 100 });
  });

  it("property: a stream that is not a byte stream is read the default way, same bytes", async () => {
    await fc.assert(fc.asyncProperty(chunks, async (cs) => {
      expect((await readAll(plainStream(cs))).bytes).toEqual(cs.flatMap((c) => [...c]));
    }), { numRuns: 100 });
  });

  it("a response body (fetch's Response) is read into the reused buffer too", async () => {
    const text = "line one\nline two\n";
    const { bytes, buffers } = await readAll(new Response(text).body!);
    expect(new TextDecoder().decode(Uint8Array.from(bytes))).toBe(text);
    expect([...buffers]).toEqual([64 * 1024]);
  });

  it("cancel settles a pending read", async () => {
    const r = bodyChunks(new ReadableStream({ type: "bytes" }));
    const pending = r.read();
    await r.cancel(new Error("stop"));
    expect(await pending).toEqual({ done: true });
  });
});
