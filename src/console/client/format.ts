// Formatting for the dashboard: numbers as traders read them, times in the browser's zone, and
// HTML escaping for every value that comes from the API.
export const esc = (v: unknown): string =>
  String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function num(x: unknown, digits = 0): string {
  if (typeof x !== "number" || !Number.isFinite(x)) return "—";
  return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function signed(x: unknown, digits = 0): string {
  if (typeof x !== "number" || !Number.isFinite(x)) return "—";
  return `${x > 0 ? "+" : ""}${num(x, digits)}`;
}

export function pct(x: unknown, digits = 1): string {
  return typeof x === "number" && Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : "—";
}

/** Class for a P/L figure. */
export const plClass = (x: unknown): string => (typeof x === "number" ? (x > 0 ? "pos" : x < 0 ? "neg" : "") : "");

export function time(iso: unknown): string {
  if (typeof iso !== "string" && typeof iso !== "number") return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  const today = new Date();
  const hms = d.toLocaleTimeString("en-GB", { hour12: false });
  return d.toDateString() === today.toDateString() ? hms : `${d.toISOString().slice(5, 10)} ${hms}`;
}

export function ageMs(ms: unknown): string {
  if (typeof ms !== "number" || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** The first of several field names a row carries (the API grows; old agents lack new fields). */
export function field(o: unknown, ...names: string[]): unknown {
  if (!o || typeof o !== "object") return undefined;
  for (const n of names) {
    let v: unknown = o;
    for (const part of n.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}
