// Time options. --from / --to as the replay and evaluate commands take them: a UTC day
// (2013-02-25), a time without seconds (2013-02-25T20:00) or any ISO time. --since / --from /
// --to of the journal listings (orders, trades, pnl): an ISO-8601 time with any offset. Anything
// else is a usage error naming the option.
import { parseTimestamp } from "../marketdata/ticks.ts";
import { normaliseIso } from "../store/time.ts";
import { CliError, EXIT_USAGE } from "./errors.ts";

export function parseWhen(flag: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = /^\d{4}-\d{2}-\d{2}$/.test(s) ? parseTimestamp(`${s}T00:00:00Z`) : parseTimestamp(/T\d{2}:\d{2}$/.test(s) ? `${s}:00` : s);
  if (t === undefined) throw new CliError(`${flag} ${JSON.stringify(s)}: expected a UTC time such as 2013-02-25 or 2013-02-25T20:00:00Z`, EXIT_USAGE);
  return t;
}

/** A journal listing's time option in the journal's stored UTC form (what its queries compare). */
export function parseIsoOption(flag: string, s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = normaliseIso(s);
  if (t === undefined) throw new CliError(`${flag} must be an ISO-8601 time such as 2026-03-02T09:00:00Z (got ${s})`, EXIT_USAGE);
  return t;
}
