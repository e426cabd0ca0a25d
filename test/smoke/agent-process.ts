// Starting sekisho as a real child process for the smoke tests (test code runs on Node, so
// node:child_process is fine here). The agent prints one line saying where its API is:
//   sekisho <version>: API on http://HOST:PORT (...)
// With HTTP_PORT=0 it binds a free port, and the line is how we learn it.
import { type ChildProcess, spawn } from "node:child_process";
import { waitUntil } from "../helpers/wait.ts";

const API_LINE = /API on http:\/\/([^\s:]+):(\d+)/;

export interface Agent {
  /** Base URL parsed from the agent's start-up line. */
  url: string;
  output(): string;
  /** Send `signal` and resolve with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  cwd: string;
  env: Record<string, string>;
  /** How long to wait for the API line (Deno transpiles on a cold cache). */
  timeoutMs: number;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

export async function startAgent(command: string, args: string[], opts: StartOptions): Promise<Agent> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => { out += s; });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => { out += s; });
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited(child);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no API line within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      const look = () => {
        const m = API_LINE.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(`http://${m[1]}:${m[2]}`);
        }
      };
      child.stdout!.on("data", look);
      child.once("error", (e) => { clearTimeout(timer); reject(e); });
      child.once("exit", (code, sig) => { clearTimeout(timer); reject(new Error(`exited early (code ${code}, signal ${sig})`)); });
    });
    return { url, output: () => out, stop };
  } catch (e) {
    await stop("SIGKILL");
    throw new Error(`${command} ${args.join(" ")}: ${(e as Error).message}\n--- output ---\n${out}`);
  }
}

/** Poll GET /health until it answers with `status: "ok"` (or give up after `timeoutMs`). */
export async function waitForHealthOk(url: string, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  let last = "no answer";
  let ok: { status: number; body: Record<string, unknown> } | undefined;
  await waitUntil(async () => {
    try {
      const res = await fetch(`${url}/health`);
      const body = (await res.json()) as Record<string, unknown>;
      if (body["status"] === "ok") return ((ok = { status: res.status, body }), true);
      last = `HTTP ${res.status} ${JSON.stringify(body)}`;
    } catch (e) {
      last = (e as Error).message;
    }
    return false;
  }, { timeoutMs, intervalMs: 200, message: () => `/health not ok within ${timeoutMs} ms: ${last}` });
  return ok!;
}
