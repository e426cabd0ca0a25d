// Builds GET /history's answer from account snapshot rows (shared by the agent and the tests).
import type { AccountHistoryRow } from "../store/history.ts";
import type { HistoryQuery, HistoryReport, HistorySeriesName } from "./schemas/history.ts";

const value: Record<HistorySeriesName, (r: AccountHistoryRow) => number> = {
  nav: (r) => r.nav,
  balance: (r) => r.balance,
  unrealized_pl: (r) => r.unrealizedPL,
  margin_used: (r) => r.marginUsed,
  margin_available: (r) => r.marginAvailable,
  margin_usage_ratio: (r) => (r.nav > 0 ? r.marginUsed / r.nav : 0),
  free_margin_ratio: (r) => (r.nav > 0 ? r.marginAvailable / r.nav : 0),
};

export function historyReport(rows: readonly AccountHistoryRow[], q: HistoryQuery, intervalSec: number): HistoryReport {
  const series: HistoryReport["series"] = {};
  for (const name of q.series) series[name] = rows.map((r) => [r.t, Math.round(value[name](r) * 1e6) / 1e6]);
  return { since: new Date(q.sinceMs).toISOString(), until: q.untilMs === undefined ? null : new Date(q.untilMs).toISOString(), intervalSec, series };
}
