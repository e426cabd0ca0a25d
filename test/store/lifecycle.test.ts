// The forward-only rule, as pure logic and against the real journal under random sequences.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_STATUSES, type OrderStatus } from "../../src/core/orders.ts";
import { canAdvance, STATUS_RANK } from "../../src/store/lifecycle.ts";
import { openJournal, type Journal } from "../../src/store/index.ts";

describe("canAdvance", () => {
  it("allows exactly the documented forward moves", () => {
    expect(canAdvance("intent", "submitted")).toBe(true);
    expect(canAdvance("submitted", "unknown")).toBe(true);
    expect(canAdvance("unknown", "filled")).toBe(true);
    expect(canAdvance("intent", "rejected")).toBe(true);
    expect(canAdvance("filled", "reconciled")).toBe(true);
    expect(canAdvance("filled", "cancelled")).toBe(false);
    expect(canAdvance("unknown", "submitted")).toBe(false);
    expect(canAdvance("reconciled", "filled")).toBe(false);
    for (const s of ORDER_STATUSES) expect(canAdvance(s, s)).toBe(false);
  });
});

describe("advance over random transition sequences (real journal)", () => {
  let dir: string;
  let j: Journal;
  let now = 1_700_000_000_000;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sekisho-life-"));
    j = await openJournal({ path: join(dir, "orders.db"), clock: { now: () => now } });
  });
  afterAll(async () => {
    await j.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("status rank never decreases, each reached status keeps its first timestamp, and the final status is the highest-ranked first arrival", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...ORDER_STATUSES), { maxLength: 12 }), async (moves) => {
        const clientId = `sk-prop-${n++}`;
        await j.orders.insertIntent({ clientId, signalId: clientId, worker: "operator", strategy: "manual", pocket: "manual", instrument: "USD_JPY", side: "buy", requestedUnits: 1, reduceOnly: false, positionFill: "DEFAULT" });
        // Model: the expected status after each move.
        let expected: OrderStatus = "intent";
        const stampedAt = new Map<OrderStatus, string>();
        for (const to of moves) {
          now += 1;
          const before = await j.orders.findByClientId(clientId);
          const row = await j.orders.advance(clientId, to, { note: `to ${to}` });
          if (canAdvance(expected, to)) {
            expected = to;
            stampedAt.set(to, new Date(now).toISOString());
          }
          expect(row!.status).toBe(expected);
          expect(STATUS_RANK[row!.status]).toBeGreaterThanOrEqual(STATUS_RANK[before!.status]);
          if (row!.status === before!.status) expect(row).toEqual(before); // a no-op changes nothing
        }
        const last = (await j.orders.findByClientId(clientId))!;
        for (const [status, at] of stampedAt) expect(last[`${status}At` as "filledAt"]).toBe(at);
      }),
      { numRuns: 60 },
    );
  });
});
