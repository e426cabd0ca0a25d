// The one place that knows which runtime we are on (Deno by default, Node for tests, Bun for the
// compiled binary). Everything else uses web standards and this module, like Hono's adapters.
import process from "node:process";
import { clearInterval as clearNodeInterval, setInterval as setNodeInterval } from "node:timers";

export type RuntimeName = "deno" | "bun" | "node";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

export function runtimeName(): RuntimeName {
  if (typeof g.Deno?.version?.deno === "string") return "deno";
  if (typeof g.Bun?.version === "string") return "bun";
  return "node";
}

export function runtimeVersion(): string {
  switch (runtimeName()) {
    case "deno": return `deno ${g.Deno.version.deno}`;
    case "bun": return `bun ${g.Bun.version}`;
    default: return `node ${process.versions.node}`;
  }
}

/**
 * Call `fn` every `ms` without keeping the process alive for it (housekeeping such as the
 * journal's checkpoints: a command that forgot to stop it still exits). Returns the stop.
 */
export function backgroundInterval(ms: number, fn: () => void): () => void {
  const t = setNodeInterval(fn, ms);
  t.unref();
  return () => clearNodeInterval(t);
}

/** A snapshot of the process environment. */
export function environment(): Record<string, string | undefined> {
  return { ...process.env };
}

/** Command-line arguments after the program (and script) name. */
export function commandArgs(): string[] {
  if (runtimeName() === "deno") return [...g.Deno.args];
  // A Bun-compiled binary reports argv as [bun, /$bunfs/root/<name>, ...args].
  return process.argv.slice(2);
}

export function exitProcess(code: number): never {
  process.exit(code);
}

/** Run `fn` once on SIGINT or SIGTERM. Returns a function that removes the handlers. */
export function onShutdownSignal(fn: (signal: string) => void): () => void {
  let fired = false;
  const handler = (sig: string) => () => {
    if (fired) return;
    fired = true;
    fn(sig);
  };
  const int = handler("SIGINT");
  const term = handler("SIGTERM");
  process.on("SIGINT", int);
  process.on("SIGTERM", term);
  return () => {
    process.off("SIGINT", int);
    process.off("SIGTERM", term);
  };
}

// Standard output may be a pipe whose reader is slower than we are. Node and Bun write to a pipe
// asynchronously: a process that exits right after write() loses whatever the pipe had not taken
// yet (a listing cut at 64 KiB, with exit code 0). So every write is tracked, and the entry point
// awaits flushStdout() before exiting. A reader that goes away (EPIPE, e.g. `| head`) ends the
// output; it is reported by flushStdout, never thrown as an unhandled stream error.
let pendingStdout: Promise<void> = Promise.resolve();
let stdoutError: Error | undefined;
let stdoutErrorListener = false;

export function writeStdout(text: string): void {
  if (stdoutError) return;
  if (!stdoutErrorListener) {
    stdoutErrorListener = true;
    process.stdout.on("error", (e: Error) => { stdoutError ??= e; });
  }
  const done = new Promise<void>((resolve) => {
    try {
      process.stdout.write(text, (e?: Error | null) => {
        if (e) stdoutError ??= e;
        resolve();
      });
    } catch (e) {
      stdoutError ??= e instanceof Error ? e : new Error(String(e));
      resolve();
    }
  });
  pendingStdout = pendingStdout.then(() => done);
}

/**
 * Resolves once everything written with writeStdout has been handed to the operating system.
 * Returns the write error (e.g. EPIPE when the reader closed the pipe early), if any.
 */
export async function flushStdout(): Promise<Error | undefined> {
  await pendingStdout;
  return stdoutError;
}

/** Whether standard output is a terminal (a person reading) rather than a pipe or a file. */
export function stdoutIsTerminal(): boolean {
  try {
    if (runtimeName() === "deno") return Boolean(g.Deno.stdout.isTerminal());
    return Boolean(process.stdout.isTTY);
  } catch {
    return false;
  }
}

export function writeStderr(text: string): void {
  process.stderr.write(text);
}

export interface ServeOptions {
  hostname: string;
  port: number;
}

export interface RunningServer {
  /** The bound port (useful with port 0). */
  port: number;
  hostname: string;
  close(): Promise<void>;
}

export type FetchHandler = (req: Request) => Response | Promise<Response>;

/** Serve a fetch handler on the current runtime's native server. */
export async function serveHttp(fetch: FetchHandler, opts: ServeOptions): Promise<RunningServer> {
  const rt = runtimeName();
  if (rt === "deno") {
    let server: { shutdown(): Promise<void> } | undefined;
    const addr = await new Promise<{ port: number }>((resolve) => {
      server = g.Deno.serve({ hostname: opts.hostname, port: opts.port, onListen: resolve }, fetch);
    });
    return { port: addr.port, hostname: opts.hostname, close: async () => { await server?.shutdown(); } };
  }
  if (rt === "bun") {
    // idleTimeout 0: long-lived NDJSON streams (the simulator's) must not be cut by the server.
    const server = g.Bun.serve({ hostname: opts.hostname, port: opts.port, fetch, idleTimeout: 0 });
    return { port: server.port, hostname: opts.hostname, close: async () => { server.stop(true); } };
  }
  // A specifier the bundler cannot follow: the Bun binary never takes this branch, and bundling
  // @hono/node-server would load node:http (and evaluate the adapter) at every start of it.
  const nodeServer = "@hono/node-server";
  const { createAdaptorServer } = (await import(nodeServer)) as typeof import("@hono/node-server");
  const server = createAdaptorServer({ fetch, hostname: opts.hostname, port: opts.port });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    port,
    hostname: opts.hostname,
    close: () =>
      new Promise<void>((resolve) => {
        // Streams stay open until their clients go; drop them so shutdown is prompt.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
