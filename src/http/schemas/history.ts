// GET /history: account figures over time, for charts (the dashboard's NAV and margin charts).
import { z } from "@hono/zod-openapi";
import { timeQueryParam } from "./common.ts";

export const HISTORY_SERIES = ["nav", "balance", "unrealized_pl", "margin_used", "margin_available", "margin_usage_ratio", "free_margin_ratio"] as const;
export type HistorySeriesName = (typeof HISTORY_SERIES)[number];

const DAY_MS = 86_400_000;

const seriesParam = z
  .string()
  .transform((v, ctx) => {
    const list = [...new Set(v.split(",").map((s) => s.trim()).filter(Boolean))];
    const bad = list.filter((s) => !(HISTORY_SERIES as readonly string[]).includes(s));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: "custom", message: `expected a comma-separated list of ${HISTORY_SERIES.join(", ")}${bad.length ? ` (unknown: ${bad.join(", ")})` : ""}` });
      return z.NEVER;
    }
    return list as HistorySeriesName[];
  })
  .openapi({ description: `Comma-separated: ${HISTORY_SERIES.join(", ")}.`, example: "nav,margin_usage_ratio" });

const timeParam = (what: string) => timeQueryParam(what, (ms) => ms);

export const HistoryQuerySchema = z.strictObject({
  series: seriesParam.optional().transform((v) => v ?? (["nav", "margin_usage_ratio"] as HistorySeriesName[])),
  since: timeParam("From this time on (default: 24 hours ago)").optional(),
  until: timeParam("Before this time (default: now)").optional(),
  max: z
    .string()
    .regex(/^\d+$/, "expected a whole number in [2, 5000]")
    .transform(Number)
    .refine((n) => n >= 2 && n <= 5000, "expected a whole number in [2, 5000]")
    .optional()
    .transform((v) => v ?? 1000)
    .openapi({ type: "integer", minimum: 2, maximum: 5000, default: 1000, description: "Most points per series; longer ranges are thinned evenly (first and last kept)." }),
});

export interface HistoryQuery {
  series: HistorySeriesName[];
  sinceMs: number;
  untilMs?: number;
  max: number;
}

export const HistoryReportSchema = z
  .object({
    since: z.string().openapi({ format: "date-time" }),
    until: z.string().nullable().openapi({ format: "date-time" }),
    intervalSec: z.number().openapi({ description: "How often the agent records a point (seconds)." }),
    series: z.record(z.string(), z.array(z.tuple([z.number(), z.number()]))).openapi({
      description: "Per requested series, [epoch milliseconds, value] pairs, oldest first.",
      example: { nav: [[1767600000000, 500000], [1767600060000, 500120]], margin_usage_ratio: [[1767600000000, 0.062], [1767600060000, 0.061]] },
    }),
  })
  .openapi("History");
export type HistoryReport = z.infer<typeof HistoryReportSchema>;

export function defaultSince(now: number): number {
  return now - DAY_MS;
}
