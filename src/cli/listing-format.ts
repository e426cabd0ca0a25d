// The CLI listings' shared formats (`orders`, `trades`, `pnl`): a plain text table and CSV.
import { csvCell } from "../core/csv-cell.ts";

export interface TextColumn {
  title: string;
  right?: boolean;
}

/** A header line and one line per row (one cell per column): columns padded to their widest cell,
 * numbers right-aligned, two spaces between columns, no trailing blanks. */
export function textTable(cols: readonly TextColumn[], rows: readonly string[][]): string {
  const widths = cols.map((c, i) => Math.max(c.title.length, ...rows.map((r) => r[i]!.length)));
  const line = (vals: readonly string[]) => vals.map((v, i) => (cols[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd();
  return `${[line(cols.map((c) => c.title)), ...rows.map(line)].join("\n")}\n`;
}

/** CSV: a header line and one line per row, RFC 4180 cells, lines ending with CRLF. */
export function csv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
