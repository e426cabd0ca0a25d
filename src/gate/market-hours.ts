// FX trades around the clock on weekdays: it closes Friday 17:00 New York time and reopens
// Sunday 17:00 New York time (21:00/22:00 UTC depending on US daylight saving). OANDA also
// marks prices tradeable:false then; this clock rule is a second, independent check.
const NY = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", weekday: "short", hour: "numeric", hourCycle: "h23" });

export function isFxMarketOpen(epochMs: number): boolean {
  const parts = NY.formatToParts(new Date(epochMs));
  const weekday = parts.find((p) => p.type === "weekday")?.value;
  const hour = Number(parts.find((p) => p.type === "hour")?.value);
  if (weekday === "Sat") return false;
  if (weekday === "Fri") return hour < 17;
  if (weekday === "Sun") return hour >= 17;
  return true;
}
