// --from / --to as the replay and evaluate commands take them: a UTC day (2013-02-25), a time
// without seconds (2013-02-25T20:00) or any ISO time; anything else is a usage error naming it.
import { parseTimestamp } from "../marketdata/ticks.ts";
import { CliError, EXIT_USAGE } from "./errors.ts";

export function parseWhen(flag: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = /^\d{4}-\d{2}-\d{2}$/.test(s) ? parseTimestamp(`${s}T00:00:00Z`) : parseTimestamp(/T\d{2}:\d{2}$/.test(s) ? `${s}:00` : s);
  if (t === undefined) throw new CliError(`${flag} ${JSON.stringify(s)}: expected a UTC time such as 2013-02-25 or 2013-02-25T20:00:00Z`, EXIT_USAGE);
  return t;
}
