// The Signal contract (src/core/types.ts) as a zod schema, for signals that arrive untyped. None
// does today: workers build typed signals, and an operator's is validated once where it enters
// (POST /control/signal's own schema) and built from that; the bus and the gate trust the type.
// Tests hold every worker's signals to this schema (finite numbers, known names), and a future
// untyped entry (a file, another process) parses here once.
import { z } from "zod";
import { POCKETS, WORKERS, type Signal } from "../core/types.ts";

const signalSchema = z.object({
  id: z.string().min(1).max(200),
  worker: z.enum(WORKERS),
  strategy: z.string().min(1).max(100),
  pocket: z.enum(POCKETS),
  instrument: z.string().regex(/^[A-Z0-9]{2,10}_[A-Z0-9]{2,10}$/, "expected an OANDA instrument such as USD_JPY"),
  side: z.enum(["buy", "sell"]),
  confidence: z.number().min(0).max(100),
  proposedUnits: z.number().positive().finite().optional(),
  reduceOnly: z.boolean(),
  reduceCap: z.number().nonnegative().finite().optional(),
  slPips: z.number().positive().finite().optional(),
  tpPips: z.number().positive().finite().optional(),
  attachSlTp: z.boolean(),
  createdAt: z.number().finite(),
  ttlMs: z.number().positive().finite(),
  tickReceivedAt: z.number().finite().optional(),
  tickReceivedMono: z.number().finite().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
}) satisfies z.ZodType<Signal>;

export type SignalParseResult = { ok: true; signal: Signal } | { ok: false; issues: string[] };

export function parseSignal(input: unknown): SignalParseResult {
  const r = signalSchema.safeParse(input);
  if (r.success) return { ok: true, signal: r.data as Signal };
  return { ok: false, issues: r.error.issues.map((i) => `${i.path.join(".") || "signal"}: ${i.message}`) };
}
