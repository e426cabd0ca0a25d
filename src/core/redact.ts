// Secrets out of log lines, cheaply. pino's own `redact` (pino 10's @pinojs/redact) re-parses
// every path and clones every value it walks on every call: ~22 µs of a ~25 µs log line here
// (measured on Deno with the order_submit line), and its garbage adds young-generation GC
// pauses, on the order path too. What sekisho redacts is a fixed set of key names at the top
// level of a logged object and one level below it (a whole config or headers object passed as a
// value), so this checks exactly those and copies an object only when it holds such a key.
export const CENSOR = "[redacted]";

/** Keys whose values never reach a log line (at the top level or one level down). */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  "OANDA_TOKEN", "TURSO_AUTH_TOKEN", "CONTROL_TOKEN", "token", "authToken", "authorization", "Authorization",
  "ALERT_WEBHOOK_URL", "ALERT_TELEGRAM_TOKEN",
]);
const SECRET_LIST = [...SECRET_KEYS];

/** A copy of `o` with its own secret keys censored, or `o` itself when it has none. */
function censorOwn<T extends object>(o: T): T {
  let out: Record<string, unknown> | undefined;
  for (const k of SECRET_LIST) {
    if (!Object.hasOwn(o, k)) continue;
    out ??= Object.assign(Object.create(Object.getPrototypeOf(o)) as object, o) as Record<string, unknown>;
    out[k] = CENSOR;
  }
  return (out ?? o) as T;
}

/**
 * `obj` with every secret key censored at the top level and in each object value one level
 * down; the caller's objects are never changed (copies are made only where a secret is).
 */
export function redactSecrets(obj: Record<string, unknown>): Record<string, unknown> {
  let out = censorOwn(obj);
  for (const k in out) {
    const v = out[k];
    if (v === null || typeof v !== "object" || SECRET_KEYS.has(k)) continue;
    const c = censorOwn(v);
    if (c === v) continue;
    if (out === obj) out = Object.assign(Object.create(Object.getPrototypeOf(obj)) as object, obj) as Record<string, unknown>;
    out[k] = c;
  }
  return out;
}
