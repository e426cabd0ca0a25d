// Open the files named on the command line, tell their format (from the content and the name,
// or --format), and hand back ticks. Every problem is one ReplayInputError line naming the file.
import { fileExists, readText } from "../runtime/files.ts";
import { readZipFirstEntryText } from "../runtime/zip.ts";
import { dayFromName, instrumentFromPath } from "../sim/tick-csv.ts";
import { parseFxcmBidAsk, parseLeanQuoteBars } from "./read-bars.ts";
import { parsePricingNdjson } from "./read-ndjson.ts";
import { lines, parseLeanTickCsv, parseTrueFxCsv } from "./read-tick-csv.ts";
import { REPLAY_FORMATS, ReplayInputError, type ReplayFormat, type TickSource } from "./ticks.ts";

export interface ReadOptions {
  ticksPath: string;
  askPath?: string;
  format?: ReplayFormat;
  /** Instrument for formats that do not name one (everything but the pricing stream). */
  instrument: string;
}

export function isReplayFormat(s: string): s is ReplayFormat {
  return (REPLAY_FORMATS as readonly string[]).includes(s);
}

/** Text of a .csv/.txt/.ndjson file or of the single CSV inside a LEAN .zip. */
export function readInputText(path: string, flag: string): string {
  if (!fileExists(path)) throw new ReplayInputError(`${flag} ${path}: file not found`);
  try {
    if (/\.zip$/i.test(path)) return readZipFirstEntryText(path);
    return readText(path);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ReplayInputError(`${flag} ${path}: cannot read it (${msg.replace(`${path}: `, "")})`);
  }
}

/** The format a file's first data line says it is, or undefined. */
export function detectFormat(text: string, path: string, hasAskFile: boolean): ReplayFormat | undefined {
  const ls = lines(text.slice(0, 4096));
  const first = ls[0];
  if (!first) return undefined;
  if (first.startsWith("{")) return "oanda-ndjson";
  const header = /^[A-Za-z_"]/.test(first) && !/^[A-Z]{3}\/[A-Z]{3},/.test(first) ? first.toLowerCase().replace(/"/g, "") : undefined;
  const data = header ? ls[1] : first;
  if (header?.startsWith("timestamp,open,high,low,close") || hasAskFile) return "fxcm-bid-ask";
  if (header?.startsWith("timestamp,bid,ask")) return "truefx-csv";
  if (!data) return undefined;
  const f = data.split(",");
  if (/^[A-Z]{3}\/[A-Z]{3}$/.test(f[0]!) && f.length >= 4) return "truefx-csv";
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(f[0]!) && f.length === 3) return "truefx-csv";
  if (/^\d+$/.test(f[0]!)) {
    if (f.length === 3) return "lean-tick";
    if (f.length >= 10) return "lean-quote-bar";
  }
  void path;
  return undefined;
}

export function readTicks(o: ReadOptions): TickSource {
  const text = readInputText(o.ticksPath, "--ticks");
  const format = o.format ?? detectFormat(text, o.ticksPath, o.askPath !== undefined);
  if (!format) {
    const first = lines(text.slice(0, 4096))[0] ?? "(empty file)";
    throw new ReplayInputError(`--ticks ${o.ticksPath}: cannot tell the format from its first line ${JSON.stringify(first.slice(0, 80))}; give --format (${REPLAY_FORMATS.join(", ")})`);
  }
  let src: TickSource;
  switch (format) {
    case "oanda-ndjson":
      src = parsePricingNdjson(text);
      break;
    case "truefx-csv":
      src = parseTrueFxCsv(text, o.instrument);
      break;
    case "lean-tick":
    case "lean-quote-bar": {
      const day = dayFromName(o.ticksPath);
      if (day === undefined) throw new ReplayInputError(`--ticks ${o.ticksPath}: LEAN files hold milliseconds since midnight; the day (YYYYMMDD) must be in the file name`);
      const period = /[/\\_]second[/\\_]/i.test(o.ticksPath) ? 1_000 : /[/\\_]minute[/\\_]/i.test(o.ticksPath) ? 60_000 : undefined;
      src = format === "lean-tick" ? parseLeanTickCsv(text, day, o.instrument) : parseLeanQuoteBars(text, day, o.instrument, period);
      break;
    }
    case "fxcm-bid-ask": {
      if (!o.askPath) throw new ReplayInputError(`--ticks ${o.ticksPath}: bid bars need their ask bars: add --ask-file FILE`);
      src = parseFxcmBidAsk(text, readInputText(o.askPath, "--ask-file"), o.instrument);
      break;
    }
  }
  if (src.ticks.length === 0) {
    const why = Object.entries(src.skipped).map(([k, v]) => `${v} ${k}`).join(", ") || "no data rows";
    throw new ReplayInputError(`--ticks ${o.ticksPath}: no usable ticks as ${format} (${src.rows} rows; ${why})`);
  }
  return src;
}

/** The instrument a file name suggests (usdjpy-ticks.csv, tick/eurusd/...). */
export function instrumentFromFileName(path: string): string | undefined {
  return instrumentFromPath(path);
}
