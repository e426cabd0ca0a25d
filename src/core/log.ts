// Structured logging with pino (fast, JSON lines). Secrets are redacted by key name (redact.ts, as
// a log formatter: pino's own path redaction costs most of a line) so a token can never reach a
// log line even if a caller passes a whole config object.
// A person at a terminal gets readable, coloured lines (pino-pretty, used as an in-process stream,
// which runs on Deno, Node and in the Bun binary); a pipe, a file or journald gets JSON lines.
// JSON lines (what runs in production: a pipe, a file, journald) are written asynchronously
// (sonic-boom with sync: false): a log line on the order path costs its formatting, never a
// blocking write() into a slow pipe or disk. Lines still pending at exit are written synchronously
// from the process's 'exit' event (pino registers that flush for an asynchronous destination;
// Deno, Node and Bun all emit it on process.exit), so nothing logged before an exit is lost.
// The pretty format (a person at a terminal) stays synchronous: pino-pretty formats through a
// stream of its own whose queued lines an exit would drop if its destination were asynchronous.
// pino-pretty (and what it pulls in) is imported only when that format is chosen (openLogger):
// a service under a supervisor logs JSON and never evaluates it.
import pino from "pino";
import { environment, stdoutIsTerminal } from "../runtime/runtime.ts";
import { redactSecrets } from "./redact.ts";

export type Logger = pino.Logger;

export type LogFormat = "auto" | "json" | "pretty";

/** `auto`: pretty when stdout is a terminal, JSON otherwise. */
export function resolveLogFormat(format: LogFormat, isTerminal: boolean): "json" | "pretty" {
  return format === "auto" ? (isTerminal ? "pretty" : "json") : format;
}

function loggerOptions(level: string): pino.LoggerOptions {
  return { level, base: { app: "sekisho" }, formatters: { log: redactSecrets }, timestamp: pino.stdTimeFunctions.isoTime };
}

/**
 * `log` whose children's bindings are censored as a logged object is (top level and one level
 * down: log.child({ config })). pino resets the bindings formatter for every child, so bindings are
 * censored as they are given, once per child; children inherit these methods from the root.
 */
function censorBindings(log: Logger): Logger {
  const { child, setBindings } = log;
  log.child = function (this: Logger, bindings, options) {
    return child.call(this, bindings && redactSecrets(bindings), options);
  } as Logger["child"];
  log.setBindings = function (this: Logger, bindings) {
    setBindings.call(this, redactSecrets(bindings));
  };
  return log;
}

/** JSON lines: to `destination`, or to stdout written asynchronously. */
export function createLogger(level = "info", destination?: pino.DestinationStream): Logger {
  return censorBindings(pino(loggerOptions(level), destination ?? pino.destination({ fd: 1, sync: false })));
}

/** A command's logger on stdout in `format`: readable lines for a person, JSON lines otherwise. */
export async function openLogger(level = "info", format: LogFormat = "auto"): Promise<Logger> {
  if (resolveLogFormat(format, stdoutIsTerminal()) !== "pretty") return createLogger(level);
  const { default: pretty } = await import("pino-pretty");
  // NO_COLOR (https://no-color.org) keeps the readable layout without escape codes.
  const colorize = !environment().NO_COLOR;
  return censorBindings(pino(loggerOptions(level), pretty({ colorize, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,app", singleLine: true })));
}

/** A logger that drops everything, for tests and library use (no pino behind it: silent-logger.ts). */
export { silentLogger } from "./silent-logger.ts";
