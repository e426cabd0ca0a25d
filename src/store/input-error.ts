// Bad input to the journal, refused with the field named before anything is written.

/** Bad input to the journal: the message says which field and why. Nothing was written. */
export class JournalInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JournalInputError";
  }
}

export function finite(field: string, v: number): number {
  if (!Number.isFinite(v)) throw new JournalInputError(`${field} must be a finite number (got ${v})`);
  return v;
}

export function optionalFinite(field: string, v: number | undefined): number | null {
  return v === undefined ? null : finite(field, v);
}
