// Runs the CLI in-process (runCli) with stdout and stderr captured: the commands' own code, without
// a child process. For the CLI as a user starts it, see cli-process.ts.
import { vi } from "vitest";
import { runCli } from "../../src/cli/program.ts";

export interface CapturedRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[]): Promise<CapturedRun> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  try {
    return { code: await runCli(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
