// The agent restarts on its own journal: opening the same file again, for the same account and
// mode, must work (it once failed on the change feed's UNIQUE(tbl, row_id) at every restart).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openJournal } from "../../src/store/index.ts";

const dir = mkdtempSync(join(tmpdir(), "sekisho-restart-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a journal opened again by the same account (a restart)", () => {
  it("opens, refreshes journal_accounts' last_seen_at, and the change feed keeps one entry for the row", async () => {
    const path = join(dir, "orders.db");
    const scope = { accountId: "101-001-0000000-001", mode: "paper" as const };
    let t = Date.parse("2026-01-05T00:00:00Z");
    const clock = { now: () => t };
    for (let run = 0; run < 3; run++) {
      t += 60_000;
      const j = await openJournal({ path, owner: true, scope, clock });
      await j.close();
    }
    const j = await openJournal({ path, scope, clock });
    try {
      const rows = await j.db.selectFrom("journal_accounts").selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ account_id: scope.accountId, mode: "paper", first_seen_at: "2026-01-05T00:01:00.000Z", last_seen_at: "2026-01-05T00:03:00.000Z" });
      const feed = await sql<{ n: number }>`SELECT count(*) AS n FROM changes WHERE tbl = 'journal_accounts'`.execute(j.db);
      expect(Number(feed.rows[0]!.n)).toBe(1);
    } finally {
      await j.close();
    }
  });
});
