// Schemas shared by several endpoints. They are zod schemas with OpenAPI names, so the same
// definitions validate input, type the ApiDeps boundary and generate /openapi.json.
import { z } from "@hono/zod-openapi";

export const CHECK_STATUSES = ["ok", "degraded", "down"] as const;
export const CheckStatusSchema = z.enum(CHECK_STATUSES).openapi("CheckStatus", {
  description: "ok: working; degraded: working with a problem an operator should look at (still HTTP 200); down: not fit to trade (HTTP 503).",
});
export type CheckStatus = z.infer<typeof CheckStatusSchema>;

export const ModeSchema = z.enum(["paper", "practice", "live"]).openapi("RunMode");
export const SideSchema = z.enum(["buy", "sell"]).openapi("Side");
export const MarginModelSchema = z.enum(["net", "max_side"]).openapi("MarginModel");
export const MarginModelSettingSchema = z.enum(["auto", "net", "max_side"]).openapi("MarginModelSetting");

/** Instrument names as OANDA spells them (same rule as src/core/instruments.ts). */
export const InstrumentSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,10}_[A-Z0-9]{2,10}$/, "expected an OANDA instrument such as USD_JPY")
  .openapi({ example: "USD_JPY" });

/** An instant as an ISO 8601 string in UTC. */
/**
 * A time in a query: ISO 8601 with a time zone (Z or an offset), or epoch milliseconds. `as` turns
 * the epoch milliseconds into what the handler takes (the number, or an ISO string).
 */
export function timeQueryParam<T>(description: string, as: (ms: number) => T) {
  return z
    .string()
    .transform((v, ctx) => {
      const ms = /^\d{1,16}$/.test(v) ? Number(v) : /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(v) ? Date.parse(v) : NaN;
      if (!Number.isFinite(ms)) {
        ctx.addIssue({ code: "custom", message: "expected an ISO 8601 time such as 2026-01-05T09:00:00Z, or epoch milliseconds" });
        return z.NEVER;
      }
      return as(ms);
    })
    .openapi({ description: `${description}: ISO 8601 (with Z or an offset) or epoch milliseconds.`, example: "2026-01-05T09:00:00Z" });
}

/** The epoch milliseconds as an ISO 8601 UTC string (how the journal stores times). */
export const asIso = (ms: number): string => new Date(ms).toISOString();

export const IsoTimeSchema = z.string().openapi({ format: "date-time", example: "2026-01-05T09:30:00.000Z" });

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_request" }),
      message: z.string(),
      issues: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .openapi({ description: "Validation problems, one per field (400 only)." }),
    }),
  })
  .openapi("Error");
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
