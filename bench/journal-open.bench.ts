// What the journal owner's in-memory id index (src/store/order-ids.ts) costs at open: loading
// the client and signal ids of 100,000 order rows. `npm run bench:micro -- journal-open`.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { bench, describe } from "vitest";
import { openJournal } from "../src/store/index.ts";
import { openLibsqlPort } from "../src/store/libsql-port.ts";
import { OrderIdIndex } from "../src/store/order-ids.ts";

const dir = mkdtempSync(join(tmpdir(), "sekisho-bench-journal-open-"));
const bigPath = join(dir, "big.db");
{
  const big = await openJournal({ path: bigPath });
  await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
    INSERT INTO orders (client_id, signal_id, worker, strategy, pocket, instrument, side, requested_units, reduce_only, position_fill, status, intent_at, updated_at)
    SELECT 'sk-fast_scalp-' || (1780000000000 + i) || '-' || i, 'fast_scalp-' || (1780000000000 + i) || '-' || i, 'fast_scalp', 'fast_scalp', 'scalp_fast',
      'USD_JPY', 'buy', 1000, 0, 'OPEN_ONLY', 'filled', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z' FROM n`.execute(big.db);
  await big.close();
}

describe("opening the owner's journal", () => {
  const port = openLibsqlPort(bigPath);
  bench("load the id index of 100,000 order rows", async () => {
    const ids = await OrderIdIndex.load(port);
    if (ids.size !== 100_000) throw new Error(`loaded ${ids.size}`);
  }, { iterations: 5, time: 0 });
});
