// Tick CSVs: nautilus/TrueFX `timestamp,bid,ask` (ISO times with ms, header), TrueFX's native
// `USD/JPY,20130101 22:00:00.295,bid,ask`, and LEAN's `ms_since_midnight,bid,ask` (no header;
// the UTC day comes from the file name, e.g. 20140501_quote.zip).
import { bump, columnSource, keepMonotonic, parseTimestamp, type ReplayTick, TickColumnsBuilder, type TickSource } from "./ticks.ts";
import { decimalAt, digitsAt, forEachDataLineFast, stoppedAt } from "./fast-fields.ts";

export function lines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}

/**
 * Each data line of a CSV text (trimmed; blank lines and a first-line header left out), split at
 * commas, handed to `row` as it is read: no array of all lines is made. Returns how many.
 */
export function forEachRow(text: string, row: (fields: string[], line: string) => void): number {
  return forEachDataLine(text, (line) => row(line.split(","), line));
}

/** forEachRow without the split: each data line as it is read; returns how many. */
export function forEachDataLine(text: string, row: (line: string) => void): number {
  let rows = 0;
  forEachLine(text, (line, index) => {
    if (isHeader(line, index)) return;
    rows++;
    row(line);
  });
  return rows;
}

/**
 * What line.split(",") would give, for the first `max` fields only, written into `out` (an array
 * the caller reuses: a month of bars is 57,000 lines). Returns how many fields the line has.
 */
export function splitFields(line: string, out: string[], max: number): number {
  let n = 0;
  let start = 0;
  for (;;) {
    const comma = line.indexOf(",", start);
    if (n < max) out[n] = comma < 0 ? line.slice(start) : line.slice(start, comma);
    n++;
    if (comma < 0) return n;
    start = comma + 1;
  }
}

/** Each non-blank line of a text, trimmed, with its index among them, as it is read. */
export function forEachLine(text: string, each: (line: string, index: number) => void): void {
  let index = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length > 0) each(line, index++);
  }
}

/** Only a file's first line can be a header; a word anywhere else is a bad row, and counted. */
export const isHeader = (line: string, index: number) => index === 0 && /^[A-Za-z_" ]/.test(line) && !/^[A-Z]{3}\/[A-Z]{3},/.test(line);

/** nautilus/TrueFX ISO rows, or TrueFX native rows (`PAIR,YYYYMMDD HH:MM:SS.mmm,bid,ask`). */
export function parseTrueFxCsv(text: string, instrument: string): TickSource {
  const skipped: Record<string, number> = {};
  const ticks: ReplayTick[] = [];
  const rows = forEachRow(text, (f) => {
    let time: number | undefined;
    let bid: number;
    let ask: number;
    if (f.length >= 4 && f[0]!.includes("/")) {
      const m = /^(\d{4})(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(f[1]!.trim());
      time = m ? parseTimestamp(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`) : undefined;
      bid = Number(f[2]);
      ask = Number(f[3]);
    } else {
      time = parseTimestamp(f[0]!);
      bid = Number(f[1]);
      ask = Number(f[2]);
    }
    pushTick(ticks, skipped, instrument, time, bid, ask);
  });
  return { format: "truefx-csv", ticks: keepMonotonic(ticks, skipped), rows, skipped };
}

/** LEAN tick rows `ms,bid,ask`; `dayStart` is the UTC midnight of the file's day. Read into columns (ticks.ts). */
export function parseLeanTickCsv(text: string, dayStart: number, instrument: string): TickSource {
  const skipped: Record<string, number> = {};
  // About 26 characters a line in LEAN's tick files; the columns grow if that is short.
  const out = new TickColumnsBuilder(instrument, Math.ceil(text.length / 20));
  const push = (time: number | undefined, bid: number, ask: number) => {
    if (checkTick(skipped, time, bid, ask)) out.push(time!, bid, ask);
  };
  // `ms,bid,ask` read where it lies (fast-fields.ts); declined lines go below.
  const fast = (s: string, start: number, end: number): boolean => {
    const ms = digitsAt(s, start, end);
    if (ms < 0 || s.charCodeAt(stoppedAt) !== 44) return false;
    const bid = decimalAt(s, stoppedAt + 1, end);
    if (bid < 0 || s.charCodeAt(stoppedAt) !== 44) return false;
    const ask = decimalAt(s, stoppedAt + 1, end);
    if (ask < 0 || (stoppedAt !== end && s.charCodeAt(stoppedAt) !== 44)) return false;
    push(dayStart + ms, bid, ask);
    return true;
  };
  const f: string[] = [];
  const slow = (line: string) => {
    const n = splitFields(line, f, 3);
    const ms = /^\d+$/.test(f[0]!) ? Number(f[0]) : undefined;
    push(ms === undefined ? undefined : dayStart + ms, n > 1 ? Number(f[1]) : Number.NaN, n > 2 ? Number(f[2]) : Number.NaN);
  };
  const rows = forEachDataLineFast(text, fast, slow, isHeader);
  return columnSource({ format: "lean-tick", rows, skipped }, out.keepMonotonic(skipped));
}

/** Whether a price is a tick; when not, counted as unparseable or crossed. */
function checkTick(skipped: Record<string, number>, time: number | undefined, bid: number, ask: number): boolean {
  if (time === undefined || !Number.isFinite(bid) || !Number.isFinite(ask) || bid <= 0 || ask <= 0) {
    bump(skipped, "unparseable");
    return false;
  }
  if (ask < bid) {
    bump(skipped, "crossed");
    return false;
  }
  return true;
}

function pushTick(ticks: ReplayTick[], skipped: Record<string, number>, instrument: string, time: number | undefined, bid: number, ask: number): void {
  if (checkTick(skipped, time, bid, ask)) ticks.push({ instrument, time: time!, bid, ask });
}
