// Open recorded price files (for `sekisho replay` and the simulator's csv source), tell their
// format (from the content and the name, or an explicit one), and hand back ticks. Every problem
// is one ReplayInputError line naming the file.
import { fileExists, readText } from "../runtime/files.ts";
import { readZipFirstEntryText } from "../runtime/zip.ts";
import { parseFxcmBidAsk, parseLeanQuoteBars } from "./read-bars.ts";
import { parsePricingNdjson } from "./read-ndjson.ts";
import { lines, parseLeanTickCsv, parseTrueFxCsv } from "./read-tick-csv.ts";
import { REPLAY_FORMATS, ReplayInputError, type ReplayFormat, type TickSource } from "./ticks.ts";
import { errorMessage } from "../core/error-message.ts";

export interface ReadOptions {
  ticksPath: string;
  askPath?: string;
  format?: ReplayFormat;
  /** Instrument for formats that do not name one (everything but the pricing stream). */
  instrument: string;
  /** How errors name the two files (the CLI's flags by default). */
  labels?: { ticks: string; ask: string; format: string };
}

export function isReplayFormat(s: string): s is ReplayFormat {
  return (REPLAY_FORMATS as readonly string[]).includes(s);
}

/** Text of a .csv/.txt/.ndjson file or of the single CSV inside a LEAN .zip. */
function readInputText(path: string, flag: string): string {
  if (!fileExists(path)) throw new ReplayInputError(`${flag} ${path}: file not found`);
  try {
    if (/\.zip$/i.test(path)) return readZipFirstEntryText(path);
    return readText(path);
  } catch (e) {
    const msg = errorMessage(e);
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
  const label = o.labels ?? { ticks: "--ticks", ask: "--ask-file", format: "--format" };
  const text = readInputText(o.ticksPath, label.ticks);
  const format = o.format ?? detectFormat(text, o.ticksPath, o.askPath !== undefined);
  if (!format) {
    const first = lines(text.slice(0, 4096))[0] ?? "(empty file)";
    throw new ReplayInputError(`${label.ticks} ${o.ticksPath}: cannot tell the format from its first line ${JSON.stringify(first.slice(0, 80))}; give ${label.format} (${REPLAY_FORMATS.join(", ")})`);
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
      if (day === undefined) throw new ReplayInputError(`${label.ticks} ${o.ticksPath}: LEAN files hold milliseconds since midnight; the day (YYYYMMDD) must be in the file name`);
      const period = /[/\\_]second[/\\_]/i.test(o.ticksPath) ? 1_000 : /[/\\_]minute[/\\_]/i.test(o.ticksPath) ? 60_000 : undefined;
      src = format === "lean-tick" ? parseLeanTickCsv(text, day, o.instrument) : parseLeanQuoteBars(text, day, o.instrument, period);
      break;
    }
    case "fxcm-bid-ask": {
      if (!o.askPath) throw new ReplayInputError(`${label.ticks} ${o.ticksPath}: bid bars need their ask bars: add ${label.ask}`);
      src = parseFxcmBidAsk(text, readInputText(o.askPath, label.ask), o.instrument);
      break;
    }
  }
  if ((src.columns?.length ?? src.ticks.length) === 0) {
    const why = Object.entries(src.skipped).map(([k, v]) => `${v} ${k}`).join(", ") || "no data rows";
    throw new ReplayInputError(`${label.ticks} ${o.ticksPath}: no usable ticks as ${format} (${src.rows} rows; ${why})`);
  }
  return src;
}

/** YYYYMMDD in a file name (LEAN's 20140501_quote.zip) as epoch ms of that UTC midnight. */
function dayFromName(path: string): number | undefined {
  const m = /(\d{4})(\d{2})(\d{2})[^/\\]*$/.exec(path);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

const CCY = "(USD|JPY|EUR|GBP|AUD|NZD|CHF|CAD)";
const PAIR = new RegExp(`${CCY}[_/-]?${CCY}`, "i");

/** The instrument a path suggests: usdjpy-ticks.csv or tick/eurusd/... gives USD_JPY / EUR_USD. */
export function instrumentFromFileName(path: string): string | undefined {
  for (const part of path.split(/[/\\]/).reverse()) {
    const m = PAIR.exec(part);
    if (m) return `${m[1]!.toUpperCase()}_${m[2]!.toUpperCase()}`;
  }
  return undefined;
}
