// One CSV cell as RFC 4180 quotes it: empty for null and undefined, quoted (inner quotes doubled)
// when it holds a quote, comma or line break. Trade lists and order listings all write through it.
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
