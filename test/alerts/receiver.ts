// A local HTTP receiver on loopback standing in for Slack/Discord/Telegram: records every request
// and answers as told ("ok", "500", or "hang": never answers until closed).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface Received { path: string; body: Record<string, unknown> }

export interface Receiver {
  url: string;
  received: Received[];
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(mode: "ok" | "500" | "hang"): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = "";
    req.setEncoding("utf8").on("data", (c: string) => { data += c; });
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: data ? JSON.parse(data) : {} });
      for (const w of waiters.splice(0)) w();
      if (mode === "hang") { hanging.push(res); return; }
      res.writeHead(mode === "500" ? 500 : 200, { "content-type": "application/json" }).end(mode === "500" ? '{"ok":false}' : '{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    received,
    waitFor: (n, timeoutMs = 10_000) => new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`only ${received.length} of ${n} requests arrived`)), timeoutMs);
      const check = () => {
        if (received.length >= n) { clearTimeout(deadline); resolve(received.slice()); } else waiters.push(check);
      };
      check();
    }),
    close: () => new Promise((r) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
