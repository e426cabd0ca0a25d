// Small HTTP helpers for talking to a running simulator in tests.
import type { SimHandle } from "../../src/sim/index.ts";

type J = Record<string, any>;

export function api(sim: SimHandle, token = sim.token) {
  const A = `${sim.restUrl}/v3/accounts/${sim.accountId}`;
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  return {
    A,
    headers,
    async get(path: string): Promise<{ status: number; body: J; res: Response }> {
      const res = await fetch(path.startsWith("http") ? path : A + path, { headers });
      return { status: res.status, body: (await res.json()) as J, res };
    },
    async send(method: string, path: string, b: unknown, signal?: AbortSignal): Promise<{ status: number; body: J; res: Response }> {
      const res = await fetch(path.startsWith("http") ? path : A + path, { method, headers, body: JSON.stringify(b), signal });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as J) : {}, res };
    },
  };
}

/** Reads NDJSON lines from a stream response; `next()` resolves with the next line or undefined at end. */
export function lineReader(res: Response) {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  const lines: string[] = [];
  let done = false;
  return {
    async next(): Promise<string | undefined> {
      while (lines.length === 0 && !done) {
        const r = await reader.read();
        if (r.done) done = true;
        else {
          buf += dec.decode(r.value, { stream: true });
          const parts = buf.split("\n");
          buf = parts.pop()!;
          lines.push(...parts.filter((p) => p.length > 0));
        }
      }
      return lines.shift();
    },
    /** Next line, or "timeout" if none arrives within ms. */
    async nextWithin(ms: number): Promise<string | undefined | "timeout"> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const t = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), ms)));
      const out = await Promise.race([this.next(), t]);
      clearTimeout(timer);
      return out;
    },
    async cancel() {
      await reader.cancel().catch(() => {});
    },
  };
}
