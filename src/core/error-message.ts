// What a caught value says, for a log line, an API answer or a one-line CLI error: `catch` hands
// over `unknown` (a library may throw a string or a plain object), so the message is read safely.

/** An Error's message, or anything else as a string. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
