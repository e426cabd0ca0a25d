// A logger that drops everything, without loading pino: a replay or a test that logs nothing
// should not spend its start-up evaluating pino and the Node stream modules it pulls in. It is
// what a pino logger at level "silent" does: every level a no-op, never enabled, its children
// itself.
import type { Logger } from "./log.ts";

const noop = (): void => {};

const silent = {
  level: "silent",
  fatal: noop,
  error: noop,
  warn: noop,
  info: noop,
  debug: noop,
  trace: noop,
  silent: noop,
  isLevelEnabled: (_level: string): boolean => false,
  child: (): Logger => silentLogger,
  bindings: (): Record<string, unknown> => ({}),
  setBindings: noop,
  flush: (cb?: (err?: Error) => void): void => cb?.(),
};

/** A logger that drops everything. */
export const silentLogger: Logger = silent as unknown as Logger;
