// Finding 6 of issue 10: `sekisho orders --json` piped into another program stopped at 64 KiB and
// exited 0. A ~5 MB listing is read here through a pipe by a reader that waits before it reads
// (the pipe fills, the writer must wait for it) and must arrive whole, under Deno (how users run
// it from source) and under Bun (the runtime of the single binary), with exit code 0.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openJournal } from "../../src/store/index.ts";
import { ROOT } from "../smoke/binary.ts";

const ROWS = 4000;
let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sekisho-pipe-"));
  dbPath = join(dir, "orders.db");
  const journal = await openJournal({ path: dbPath });
  // ~1.5 KB per order as JSON: 4,000 orders make a ~6 MB listing.
  {
    for (let i = 1; i <= ROWS; i++) {
      await journal.orders.insertIntent({
        clientId: `sk-pipe-${i}`, signalId: `pipe-${i}`, worker: "micro_multistrat", strategy: "range_break", pocket: "micro",
        instrument: "USD_JPY", side: i % 2 ? "buy" : "sell", requestedUnits: 1000 + i, reduceOnly: false, positionFill: "OPEN_ONLY",
        requestJson: { order: { units: String(1000 + i), pad: "x".repeat(600) } },
      });
    }
  }
  await journal.close();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the CLI with stdout on a pipe; start reading only after `delayMs`, then read to the end. */
function runPiped(cmd: string, args: string[], delayMs: number): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: dir, env: { HOME: process.env["HOME"] ?? dir, NO_COLOR: "1", ...(process.env["DENO_DIR"] ? { DENO_DIR: process.env["DENO_DIR"] } : {}) }, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let err = "";
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on("data", (c: Buffer) => chunks.push(c));
      child.stdout.resume();
    }, delayMs);
    child.stderr.on("data", (c: Buffer) => { err += String(c); });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out: Buffer.concat(chunks), err }));
  });
}

const deno = (args: string[]) => [join(ROOT, "node_modules", ".bin", "deno"), ["run", "-A", `--config=${join(ROOT, "deno.json")}`, join(ROOT, "src", "main.ts"), ...args]] as const;
const bun = (args: string[]) => [join(ROOT, "node_modules", ".bin", "bun"), ["run", join(ROOT, "src", "main.ts"), ...args]] as const;

describe("a large listing through a pipe", () => {
  it.each([["deno", deno], ["bun", bun]] as const)("orders --json arrives whole on %s", async (_name, how) => {
    const [cmd, args] = how(["orders", "--db", dbPath, "--json", "--limit", "10000"]);
    const r = await runPiped(cmd, [...args], 1500);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.length).toBeGreaterThan(5_000_000);
    const rows = JSON.parse(r.out.toString("utf8")) as { clientId: string }[];
    expect(rows).toHaveLength(ROWS);
    expect(rows[0]!.clientId).toBe(`sk-pipe-${ROWS}`);
    expect(rows[ROWS - 1]!.clientId).toBe("sk-pipe-1");
  }, 90_000);

  it("orders --csv arrives whole on deno", async () => {
    const [cmd, args] = deno(["orders", "--db", dbPath, "--csv", "--limit", "10000"]);
    const r = await runPiped(cmd, [...args], 1500);
    expect(r.code).toBe(0);
    const lines = r.out.toString("utf8").split("\r\n");
    expect(lines.at(-1)).toBe(""); // ends with a line end: nothing cut mid-line
    expect(lines).toHaveLength(ROWS + 2); // header + rows + the empty tail
    expect(lines.at(-2)!.startsWith("1,sk-pipe-1,")).toBe(true);
  }, 90_000);

  it("a reader that closes early gets exit 1 and one line, not a stack trace", async () => {
    const [cmd, args] = deno(["orders", "--db", dbPath, "--json", "--limit", "10000"]);
    const r = await new Promise<{ code: number | null; err: string }>((resolve, reject) => {
      const child = spawn(cmd, [...args], { cwd: dir, env: { HOME: process.env["HOME"] ?? dir, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      let err = "";
      child.stdout.once("data", () => child.stdout.destroy());
      child.stderr.on("data", (c: Buffer) => { err += String(c); });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, err }));
    });
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toEqual([expect.stringMatching(/^sekisho: standard output closed before everything was written/)]);
  }, 90_000);
});
