// Runs the CLI from source under Deno as a child process, the way a user starts it, with an
// environment built from scratch (only what the test sets) and a fresh working directory, so no
// stray variable or .env file of the machine running the tests can change the outcome.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DENO = join(ROOT, "node_modules", ".bin", "deno");
const MAIN = join(ROOT, "src", "main.ts");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Contents of a .env file placed in the working directory. */
  dotenv?: string;
}

export async function runSekisho(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const cwd = mkdtempSync(join(tmpdir(), "sekisho-cli-"));
  try {
    if (opts.dotenv !== undefined) writeFileSync(join(cwd, ".env"), opts.dotenv);
    // NO_COLOR keeps Deno's own diagnostics plain; it is not a sekisho variable.
    const env = { NO_COLOR: "1", ...opts.env };
    return await new Promise<CliRun>((done, fail) => {
      execFile(DENO, ["run", "-A", `--config=${join(ROOT, "deno.json")}`, MAIN, ...args], { cwd, env, timeout: 60_000 }, (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") return fail(err);
        done({ code: err ? (err.code as number) : 0, stdout, stderr });
      });
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** stderr as lines, without the trailing empty one. */
export const lines = (text: string): string[] => text.split("\n").filter((l, i, a) => !(l === "" && i === a.length - 1));
