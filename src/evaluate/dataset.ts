// A data set for the scorecard: one price file, an FXCM bid file with its ask file
// (`bid.csv+ask.csv`), or several files of one instrument read as one (`day1.zip,day2.zip`, e.g.
// LEAN's one file per day). Files come from the user; the program knows no data folder.
import { instrumentFromFileName, readTicks } from "../marketdata/read.ts";
import { ReplayInputError, type ReplayTick, type TickSource } from "../marketdata/ticks.ts";
import type { DataShape } from "./subjects.ts";

export interface DataSet {
  /** As the user wrote it. */
  spec: string;
  /** Short name for tables: the first file's name (and "+N files"). */
  label: string;
  instrument: string;
  source: TickSource;
  shape: DataShape;
}

const base = (p: string) => p.split(/[/\\]/).pop() ?? p;

/** A file (and its ask file) as the scorecard's tables name it. */
export const fileLabel = (ticks: string, ask?: string): string => `${base(ticks)}${ask ? `+${base(ask)}` : ""}`;

function parseDataSpec(spec: string): { files: { ticks: string; ask?: string }[] } {
  const parts = spec.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) throw new ReplayInputError(`data set ${JSON.stringify(spec)}: no file named`);
  return { files: parts.map((p) => { const [ticks, ask] = p.split("+"); return ask ? { ticks: ticks!, ask } : { ticks: ticks! }; }) };
}

/** Only ticks in [from, to) (epoch ms) when given: `--from`/`--to`. */
export function loadDataSet(spec: string, instrumentFlag?: string, window: { from?: number; to?: number } = {}): DataSet {
  const { files } = parseDataSpec(spec);
  const instrument = instrumentFlag ?? instrumentFromFileName(files[0]!.ticks) ?? "USD_JPY";
  const labels = { ticks: "data", ask: "data (ask file)", format: "--format" };
  const sources = files.map((f) => readTicks({ ticksPath: f.ticks, askPath: f.ask, instrument, labels }));
  const all: ReplayTick[] = sources.flatMap((s) => s.ticks).sort((a, b) => a.time - b.time);
  const ticks = all.filter((t) => (window.from === undefined || t.time >= window.from) && (window.to === undefined || t.time < window.to));
  if (ticks.length === 0) throw new ReplayInputError(`data set ${spec}: no ticks between --from and --to`);
  const skipped: Record<string, number> = {};
  for (const s of sources) for (const [k, v] of Object.entries(s.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
  const first = sources[0]!;
  const source: TickSource = {
    format: first.format, ticks, rows: sources.reduce((a, s) => a + s.rows, 0), skipped,
    ...(first.bars !== undefined ? { bars: sources.reduce((a, s) => a + (s.bars ?? 0), 0), crossedBars: sources.reduce((a, s) => a + (s.crossedBars ?? 0), 0) } : {}),
    ...(first.instrument ? { instrument: first.instrument } : {}),
  };
  const label = `${fileLabel(files[0]!.ticks, files[0]!.ask)}${files.length > 1 ? ` (+${files.length - 1} files)` : ""}`;
  return { spec, label, instrument: instrumentFlag ?? source.instrument ?? instrument, source, shape: shapeOf(ticks, source.bars !== undefined) };
}

export function shapeOf(ticks: readonly ReplayTick[], bars = false): DataShape {
  const gaps: number[] = [];
  for (let i = 1; i < ticks.length; i++) gaps.push(ticks[i]!.time - ticks[i - 1]!.time);
  gaps.sort((a, b) => a - b);
  const medianGapMs = gaps.length ? gaps[Math.floor(gaps.length / 2)]! : Number.POSITIVE_INFINITY;
  const spanHours = ticks.length ? (ticks[ticks.length - 1]!.time - ticks[0]!.time) / 3_600_000 : 0;
  return { medianGapMs, spanHours, bars };
}
