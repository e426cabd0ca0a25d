// --account and --mode, shared by `orders`, `trades` and `pnl`: a journal (or one Turso
// database) may hold several accounts, and paper must never be read as real money.
import { CliError, EXIT_USAGE } from "../errors.ts";

const RUN_MODES = ["paper", "practice", "live"] as const;

export function parseScopeOptions(o: { account?: string; mode?: string }): { accountId?: string; mode?: string } {
  const out: { accountId?: string; mode?: string } = {};
  if (o.account !== undefined) {
    const a = o.account.trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(a)) throw new CliError(`--account must be an OANDA account id such as 101-001-1234567-001 (got ${o.account})`, EXIT_USAGE);
    out.accountId = a;
  }
  if (o.mode !== undefined) {
    const m = o.mode.trim().toLowerCase();
    if (!(RUN_MODES as readonly string[]).includes(m)) throw new CliError(`--mode must be one of ${RUN_MODES.join(", ")} (got ${o.mode})`, EXIT_USAGE);
    out.mode = m;
  }
  return out;
}
