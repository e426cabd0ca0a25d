// A sweep's child runs its share of the combinations one after another in one process
// (`replay --sweep-worker <runs>`, src/cli/commands/replay-outputs.ts). What makes that sound: a
// run that follows another in the same process reports exactly what the run gives alone, so no
// state of one run (the workers', the gate's, a module's) reaches the next. In-process (runCli),
// where the sweep's children run the same code; test/replay/outputs-cli.test.ts runs sweeps as a
// user starts them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../cli/in-process.ts";
import { hasSharedData, sharedPath } from "../helpers/shared-data.ts";

const fxcm = (f: string) => sharedPath("usdjpy", "nautilus_trader", "fxcm", f);
const DATA = ["--ticks", fxcm("usdjpy-m1-bid-2013.csv"), "--ask-file", fxcm("usdjpy-m1-ask-2013.csv"), "--from", "2013-02-25T12:00", "--to", "2013-02-25T15:00"];
const ON = { FAST_SCALP_ENABLED: "1", MICRO_MULTISTRAT_ENABLED: "1" };
const dir = mkdtempSync(join(tmpdir(), "sekisho-sweep-worker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** A runs file as the sweep's parent writes it. */
const runsFile = (text: string) => {
  const f = join(dir, `runs-${++files}.json`);
  writeFileSync(f, text);
  return f;
};

describe.skipIf(!hasSharedData)("replay --sweep-worker", () => {
  it("one JSON line a run, in order; a run after others in the same process equals the run alone", async () => {
    const a = { ...ON, MICRO_UNITS: "5000", MICRO_SL_PIPS: "4" };
    const b = { ...ON, MICRO_UNITS: "10000", MICRO_SL_PIPS: "6" };
    const both = await cli(["replay", ...DATA, "--sweep-worker", runsFile(JSON.stringify([a, b, a]))]);
    expect(both.code, both.err).toBe(0);
    const lines = both.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { report: { orders: { fills: number }; pl: { realized: number } } });
    expect(lines).toHaveLength(3);
    const alone = await cli(["replay", ...DATA, "--sweep-worker", runsFile(JSON.stringify([b]))]);
    expect(alone.code, alone.err).toBe(0);
    expect(lines[1]).toEqual(JSON.parse(alone.out));
    expect(lines[2]).toEqual(lines[0]);
    // The two settings trade differently (else the comparison above proves nothing).
    expect(lines[1]!.report.orders.fills).toBeGreaterThan(0);
    expect(lines[1]!.report.pl.realized).not.toBe(lines[0]!.report.pl.realized);
  }, 120_000);

  it("runs it cannot read: exit 2, one line naming the option and the file", async () => {
    for (const [bad, says] of [["{", "not valid JSON"], ["[1]", "expected a JSON array of settings"], ['[{"MICRO_UNITS":5000}]', "expected a JSON array of settings"], ["{}", "expected a JSON array of settings"]]) {
      const file = runsFile(bad!);
      const r = await cli(["replay", ...DATA, "--sweep-worker", file]);
      expect(r.code, bad).toBe(2);
      expect(r.err.trimEnd().split("\n"), bad).toEqual([expect.stringContaining(`--sweep-worker ${file}: ${says}`)]);
    }
  });
});
