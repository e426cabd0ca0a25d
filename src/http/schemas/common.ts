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
