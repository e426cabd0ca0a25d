// JSON columns: strings are stored as given (a raw request body stays byte-identical), anything
// else is serialised. Reading never throws: a corrupt value comes back as the raw text.

export function toJsonText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

export function parseJsonText(s: string | null): unknown {
  if (s === null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** For free-form detail values: always JSON, so a string detail round-trips as a string. */
export function toJsonValue(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v);
}
