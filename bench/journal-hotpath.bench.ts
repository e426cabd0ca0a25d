// The journal's work between a tick and the order POST, measured on a real file (issue 14):
// the duplicate check (by signal id, then client id) and the durable intent.
//   - "one commit": the order path since issue 14: the duplicate check answered from the owner's
//     in-memory id index, then one INSERT written straight as `submitted`.
//   - "two commits": the earlier sequence: the same check, an `intent` INSERT, then an UPDATE to
//     `submitted` (each commit a separate statement).
// Each at JOURNAL_SYNCHRONOUS=normal and =full. `npm run bench:micro -- journal-hotpath`.
// The same file runs against an older checkout too (it uses only openJournal's public API), which
// is how the before/after figures in docs/journal.md were taken.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bench, describe } from "vitest";
import { openJournal, type Journal, type NewOrderIntent } from "../src/store/index.ts";

const dir = mkdtempSync(join(tmpdir(), "sekisho-bench-journal-"));
let n = 0;

function intent(signalId: string): NewOrderIntent {
  return {
    clientId: `sk-${signalId}`, signalId, worker: "fast_scalp", strategy: "fast_scalp", pocket: "scalp_fast", instrument: "USD_JPY",
    side: "buy", requestedUnits: 1000, reduceOnly: false, positionFill: "OPEN_ONLY", priceBound: 157.2, tpPrice: 157.3, slPrice: 157.1,
    requestJson: JSON.stringify({ order: { type: "MARKET", instrument: "USD_JPY", units: "1000", timeInForce: "FOK", priceBound: "157.200" } }),
  };
}

async function duplicateCheck(j: Journal, signalId: string): Promise<void> {
  const earlier = (await j.orders.findBySignalId(signalId))[0] ?? await j.orders.findByClientId(`sk-${signalId}`);
  if (earlier) throw new Error("unexpected duplicate");
}

const journals = {
  normal: await openJournal({ path: join(dir, "normal.db"), owner: true, synchronous: "normal", scope: { accountId: "101-001-1-001", mode: "practice" } }),
  full: await openJournal({ path: join(dir, "full.db"), owner: true, synchronous: "full", scope: { accountId: "101-001-1-001", mode: "practice" } }),
};

for (const synchronous of ["normal", "full"] as const) {
  describe(`journal order path, synchronous=${synchronous}`, () => {
    const j = journals[synchronous];
    bench("one commit: duplicate check + intent written as submitted", async () => {
      const id = `one-${synchronous}-${n++}`;
      await duplicateCheck(j, id);
      await (j.orders.insertIntent as (o: NewOrderIntent, s?: string) => Promise<unknown>)(intent(id), "submitted");
    }, { time: 2000 });
    bench("two commits: duplicate check + intent + advance to submitted", async () => {
      const id = `two-${synchronous}-${n++}`;
      await duplicateCheck(j, id);
      await j.orders.insertIntent(intent(id));
      await j.orders.advance(`sk-${id}`, "submitted", { requestJson: intent(id).requestJson });
    }, { time: 2000 });
  });
}
