// Running this same program again as a child process (replay sweeps spread their runs over the
// machine's cores this way), on whichever runtime runs it: Deno from source, the Bun binary, or
// Bun/Node on a script. node:child_process works on all three.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "./runtime.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

/** The command and leading arguments that start this program again (append the sekisho arguments). */
export function selfInvocation(): { command: string; args: string[] } {
  if (runtimeName() === "deno") {
    const main = fileURLToPath(g.Deno.mainModule as string);
    // The same configuration file (npm resolution from node_modules), found beside the sources.
    let dir = dirname(main);
    let config: string | undefined;
    for (let i = 0; i < 6 && !config; i++, dir = dirname(dir)) if (existsSync(join(dir, "deno.json"))) config = join(dir, "deno.json");
    return { command: g.Deno.execPath() as string, args: ["run", "-A", ...(config ? [`--config=${config}`] : []), main] };
  }
  // A Bun-compiled binary is its own program: argv[1] is a path inside its embedded file system.
  if (runtimeName() === "bun" && String(process.argv[1] ?? "").startsWith("/$bunfs/")) return { command: process.execPath, args: [] };
  return { command: process.execPath, args: [...process.execArgv, process.argv[1]!] };
}

export function cpuCount(): number {
  return Math.max(1, availableParallelism());
}

export interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a child to its end, collecting its output (stdin closed); `stop` aborted sends it SIGTERM. */
export function runChild(command: string, args: string[], env: Record<string, string | undefined>, stop?: AbortSignal): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: env as Record<string, string>, stdio: ["ignore", "pipe", "pipe"] });
    if (stop) {
      const kill = () => child.kill("SIGTERM");
      if (stop.aborted) kill();
      else {
        stop.addEventListener("abort", kill, { once: true });
        child.once("close", () => stop.removeEventListener("abort", kill));
      }
    }
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (s: string) => { stdout += s; });
    child.stderr!.setEncoding("utf8").on("data", (s: string) => { stderr += s; });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
