// Tick files of ../shared/data for csv replay: nautilus/TrueFX `timestamp,bid,ask` (ISO times,
// header), TrueFX native `USD/JPY,20130101 22:00:00.295,bid,ask`, and LEAN `ms,bid,ask` (ms since
// midnight UTC of the day in the file name, no header, usually zipped). Crossed rows (ask < bid,
// present in some sources) are skipped and counted.
import { readText } from "../runtime/files.ts";
import { readZipFirstEntryText } from "../runtime/zip.ts";

export interface CsvTick {
  time: number;
  bid: number;
  ask: number;
}

export interface ParsedTicks {
  ticks: CsvTick[];
  skipped: number;
}

export function readTickFile(path: string): ParsedTicks {
  const text = /\.zip$/i.test(path) ? readZipFirstEntryText(path) : readText(path);
  return parseTickCsv(text, dayFromName(path));
}

/** YYYYMMDD in a file name (LEAN's 20140501_quote.zip) as epoch ms of that UTC midnight. */
export function dayFromName(path: string): number | undefined {
  const m = /(\d{4})(\d{2})(\d{2})[^/\\]*$/.exec(path);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

const CCY = "(USD|JPY|EUR|GBP|AUD|NZD|CHF|CAD)";
const PAIR = new RegExp(`${CCY}[_/-]?${CCY}`, "i");

/** Guess the instrument from a path: usdjpy-ticks.csv or tick/eurusd/... gives USD_JPY / EUR_USD. */
export function instrumentFromPath(path: string): string | undefined {
  for (const part of path.split(/[/\\]/).reverse()) {
    const m = PAIR.exec(part);
    if (m) return `${m[1]!.toUpperCase()}_${m[2]!.toUpperCase()}`;
  }
  return undefined;
}

export function parseTickCsv(text: string, dayStart?: number): ParsedTicks {
  const ticks: CsvTick[] = [];
  let skipped = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const f = line.split(",");
    let time: number | undefined;
    let bid: number;
    let ask: number;
    if (f.length >= 4 && f[0]!.includes("/")) {
      time = parseTrueFxTime(f[1]!);
      bid = Number(f[2]);
      ask = Number(f[3]);
    } else if (f.length >= 3) {
      if (/^\d+$/.test(f[0]!)) time = (dayStart ?? 0) + Number(f[0]);
      else time = parseIso(f[0]!);
      bid = Number(f[1]);
      ask = Number(f[2]);
    } else continue;
    if (time === undefined || !Number.isFinite(bid) || !Number.isFinite(ask)) continue; // header or junk
    if (!(bid > 0) || ask < bid) {
      skipped += 1;
      continue;
    }
    ticks.push({ time, bid, ask });
  }
  return { ticks, skipped };
}

function parseIso(s: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) return undefined;
  const ms = (m[3] ?? "").padEnd(3, "0").slice(0, 3);
  const tz = !m[4] || m[4] === "Z" ? "Z" : m[4].includes(":") ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  const t = Date.parse(`${m[1]}T${m[2]}.${ms}${tz}`);
  return Number.isFinite(t) ? t : undefined;
}

function parseTrueFxTime(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(s.trim());
  if (!m) return undefined;
  return parseIso(`${m[1]}-${m[2]}-${m[3]}T${m[4]}.${m[5] ?? "0"}Z`);
}
