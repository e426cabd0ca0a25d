// Starts the real Turso sync server (`turso --sync-server`, the npm `turso` CLI's tursodb binary)
// on a free loopback port for a test, and makes sure it dies with the test.
// The server performs no authentication: any token (or none) is accepted.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer, connect } from "node:net";
import { dirname, join } from "node:path";
import { waitUntil } from "../helpers/wait.ts";

const require = createRequire(import.meta.url);

/** The platform binary the `turso` npm wrapper would exec (spawned directly so a kill reaches it). */
export function tursoBinary(): string {
  const pkg = `@tursodatabase/cli-${process.platform}-${process.arch}${process.platform === "linux" ? "-gnu" : ""}`;
  return join(dirname(require.resolve(`${pkg}/package.json`)), process.platform === "win32" ? "tursodb.exe" : "tursodb");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: "127.0.0.1", port });
    sock.once("connect", () => { sock.destroy(); resolve(true); });
    sock.once("error", () => resolve(false));
  });
}

const live = new Set<ChildProcess>();
process.once("exit", () => { for (const p of live) p.kill("SIGKILL"); });

export interface SyncServer {
  url: string;
  port: number;
  /** Stop the server process and wait for it to exit; the database file stays. */
  stop(): Promise<void>;
  /** Start it again on the same port and file. */
  start(): Promise<void>;
}

export async function startSyncServer(dbFile: string, opts: { deferStart?: boolean } = {}): Promise<SyncServer> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const server: SyncServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    async start() {
      if (proc) return;
      const p = spawn(tursoBinary(), ["--sync-server", `127.0.0.1:${port}`, dbFile], { stdio: ["ignore", "ignore", "ignore"] });
      proc = p;
      live.add(p);
      p.once("exit", () => live.delete(p));
      await waitUntil(async () => {
        if (p.exitCode !== null) throw new Error(`turso sync server exited with ${p.exitCode}`);
        return await accepts(port);
      }, { timeoutMs: 10_000, intervalMs: 50, message: `turso sync server did not accept connections on ${port} within 10 s` });
    },
    async stop() {
      const p = proc;
      proc = undefined;
      if (!p || p.exitCode !== null) return;
      const exited = new Promise<void>((r) => p.once("exit", () => r()));
      p.kill("SIGKILL");
      await exited;
    },
  };
  if (!opts.deferStart) await server.start();
  return server;
}
