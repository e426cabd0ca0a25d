// The port before the broker: `sekisho run` binds its HTTP port before any stream, worker or
// order starts, so a port already taken exits 1 without a single request reaching the broker.
// The "broker" here is a loopback server that counts every request (orders, streams, reads).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { lines, runSekisho } from "./cli-process.ts";

let broker: Server;
let taken: Server;
const seen: string[] = [];
let brokerUrl: string;
let takenPort: number;

const listen = (s: Server) => new Promise<number>((r) => s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)));

beforeAll(async () => {
  broker = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(503, { "content-type": "application/json" }).end('{"errorMessage":"counting broker"}');
  });
  brokerUrl = `http://127.0.0.1:${await listen(broker)}`;
  taken = createServer((_req, res) => res.end("someone else"));
  takenPort = await listen(taken);
});
afterAll(async () => {
  await new Promise((r) => broker.close(r));
  await new Promise((r) => taken.close(r));
});

const env = () => ({ OANDA_TOKEN: "t-0123456789", OANDA_ACCOUNT_ID: "101-001-1-001", OANDA_REST_URL: brokerUrl, OANDA_STREAM_URL: brokerUrl, DB_PATH: "./o.db", LOG_LEVEL: "error" });

describe("sekisho run: the port before the broker", () => {
  it("a port already taken exits 1 naming it, and the broker sees no request at all (no order, no stream)", async () => {
    seen.length = 0;
    const r = await runSekisho(["run", "--port", String(takenPort)], { env: env() });
    expect(r.code).toBe(1);
    expect(lines(r.stderr).at(-1)).toMatch(new RegExp(`^sekisho: could not listen on 127\\.0\\.0\\.1:${takenPort}: .*the broker was not contacted`));
    expect(seen).toEqual([]);
  });

  it("control: with a free port the same start does reach the broker (so the count above can fail)", async () => {
    seen.length = 0;
    const r = await runSekisho(["run", "--port", "0"], { env: env() });
    expect(r.code).toBe(1); // the counting broker answers 503 to everything
    expect(seen.length).toBeGreaterThan(0);
  });
});
