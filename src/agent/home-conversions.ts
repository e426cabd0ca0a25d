// Conversion to the home currency for instruments the subscribed prices cannot convert (a JPY
// account trading EUR_USD without USD_JPY or EUR_JPY): OANDA's own factors, from
// GET /pricing?includeHomeConversions=true. Without them every signal on such an instrument
// would be skipped `no_conversion`, silently, forever; so an instrument that cannot be
// converted at all stops start-up with one line naming what is missing.
import type { OandaClient } from "../oanda/index.ts";
import type { AccountState } from "../state/account-state.ts";
import type { InstrumentTable } from "../core/instruments.ts";

/** Instruments (of `names`) whose base the subscribed mids cannot convert. */
function needingConversion(account: AccountState, names: Iterable<string>): string[] {
  return [...new Set(names)].filter((n) => account.needsBrokerConversion(n));
}

/** Ask OANDA for its factors when some instrument needs them; returns the instruments still unconverted. */
export async function refreshHomeConversions(client: Pick<OandaClient, "homeConversions">, account: AccountState, names: Iterable<string>): Promise<string[]> {
  const need = needingConversion(account, names);
  if (need.length === 0) return [];
  const got = await client.homeConversions(need);
  const factors = new Map<string, number>();
  for (const [currency, f] of got) if (f.positionValue !== undefined) factors.set(currency, f.positionValue);
  account.setHomeConversions(factors);
  return need.filter((n) => account.conversion(n) === undefined);
}

/** The one line start-up fails with. */
export function missingConversionMessage(missing: string[], home: string, instruments: InstrumentTable): string {
  const what = missing.map((n) => {
    const s = instruments.get(n);
    return `${n} (${s.base}->${home})`;
  }).join(", ");
  const hint = missing.map((n) => `${instruments.get(n).base}_${home}`).join(" or ");
  return `no conversion to the account currency ${home} for ${what}: OANDA's home conversions did not include it and no subscribed price converts it; add ${hint} to INSTRUMENTS`;
}
