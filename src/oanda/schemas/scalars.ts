// Scalars every OANDA schema uses: decimal strings become numbers (through decimal.ts only; a
// garbage decimal is a validation error, not NaN), ids become strings, times are checked.
import { z } from "zod";
import { parseDecimal, parseOandaTime } from "../decimal.ts";

/** OANDA decimal string ("157.123") -> number. Also finite JSON numbers (see decimal.ts). */
export const decimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseDecimal(v);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

/** OANDA IDs are strings of digits; some recorded payloads carry them as integers. */
export const id = z.union([z.string().min(1), z.number().int()]).transform(String);

/** An RFC 3339 (or UNIX "seconds.nanos") time string, kept as the broker sent it. */
export const timeString = z.string().refine((s) => {
  try {
    parseOandaTime(s);
    return true;
  } catch {
    return false;
  }
}, "expected an RFC 3339 time");

/** A time converted to epoch milliseconds. */
export const timeMs = z.string().transform((s, ctx) => {
  try {
    return parseOandaTime(s);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

export const clientExtensions = z.looseObject({
  id: z.string().optional(),
  tag: z.string().optional(),
  comment: z.string().optional(),
});
export type ClientExtensions = z.infer<typeof clientExtensions>;
