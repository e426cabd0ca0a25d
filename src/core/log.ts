// Structured logging with pino (fast, JSON lines, redaction built in). Secrets are redacted by
// path so a token can never reach a log line even if a caller passes a whole config object.
import pino from "pino";

export type Logger = pino.Logger;

const REDACT = [
  "OANDA_TOKEN", "TURSO_AUTH_TOKEN", "CONTROL_TOKEN", "token", "authToken", "authorization", "Authorization",
  "*.OANDA_TOKEN", "*.TURSO_AUTH_TOKEN", "*.CONTROL_TOKEN", "*.token", "*.authToken", "*.authorization", "*.Authorization",
  "headers.authorization", "headers.Authorization",
  "ALERT_WEBHOOK_URL", "ALERT_TELEGRAM_TOKEN", "*.ALERT_WEBHOOK_URL", "*.ALERT_TELEGRAM_TOKEN",
];

export function createLogger(level = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { app: "sekisho" }, redact: { paths: REDACT, censor: "[redacted]" }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = pino({ level: "silent" });
