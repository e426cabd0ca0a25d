// OANDA sends every price, amount and unit count as a decimal *string* ("157.123", "-1000",
// "0.0"), and every time as RFC 3339 (or, with Accept-Datetime-Format: UNIX, "seconds.nanos").
// This is the one place those strings become numbers, so the rules are written down once:
// decimal notation, finite, no blanks, no "NaN"/"Infinity", no hex. An exponent is accepted
// because a recorded real /changes answer carries marginCloseoutPercent "1e-05".
// Numbers are accepted too because recorded payloads re-serialised by Python carry floats
// (liquidity 10000000.0) and some libraries edited IDs into integers.

import { fastTimeMs } from "./fast-scalars.ts";

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

export class DecimalError extends Error {
  constructor(readonly value: unknown, readonly field?: string) {
    super(`expected a decimal number${field ? ` for ${field}` : ""} such as "157.123", got ${describe(value)}`);
    this.name = "DecimalError";
  }
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return v === undefined ? "nothing" : `${typeof v} ${String(v).slice(0, 40)}`;
}

/** Parse OANDA's decimal string (or a finite JSON number). Throws DecimalError on anything else. */
export function parseDecimal(value: unknown, field?: string): number {
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new DecimalError(value, field);
  }
  if (typeof value !== "string" || !DECIMAL.test(value)) throw new DecimalError(value, field);
  const n = Number(value);
  if (!Number.isFinite(n)) throw new DecimalError(value, field);
  return n === 0 ? 0 : n; // normalise -0 ("-0.0") to 0
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;
const UNIX = /^(\d+)(?:\.(\d+))?$/;

export class TimeError extends Error {
  constructor(readonly value: unknown, readonly field?: string) {
    super(`expected an RFC 3339 or UNIX time${field ? ` for ${field}` : ""}, got ${describe(value)}`);
    this.name = "TimeError";
  }
}

/**
 * Parse an OANDA time to epoch milliseconds. RFC 3339 with up to nanosecond fractions
 * ("2017-02-23T20:57:21.215739156Z") or UNIX seconds ("1509281144.757577547"). Sub-millisecond
 * digits are truncated (Date cannot hold them and no decision here depends on them).
 */
export function parseOandaTime(value: unknown, field?: string): number {
  // The plain UTC form every OANDA time takes, read without Date.parse (same result).
  if (typeof value === "string") {
    const fast = fastTimeMs(value);
    if (fast !== undefined) return fast;
  }
  return parseOandaTimeSlow(value, field);
}

/** The reference reading of every form (regexes and Date.parse); parseOandaTime's fallback. */
export function parseOandaTimeSlow(value: unknown, field?: string): number {
  if (typeof value === "string") {
    const r = RFC3339.exec(value);
    if (r) {
      const ms = (r[2] ?? "").padEnd(3, "0").slice(0, 3);
      const t = Date.parse(`${r[1]}.${ms}${r[3]}`);
      if (Number.isFinite(t)) return t;
    }
    const u = UNIX.exec(value);
    if (u) {
      const ms = (u[2] ?? "").padEnd(3, "0").slice(0, 3);
      return Number(u[1]) * 1000 + Number(ms);
    }
  }
  throw new TimeError(value, field);
}

/** Signed units as OANDA wants them in a request: a plain decimal string, never an exponent. */
export function formatUnits(signedUnits: number, precision = 0): string {
  // Beyond 1e15 toFixed switches to exponent notation (and no FX order is that large).
  if (!Number.isFinite(signedUnits) || Math.abs(signedUnits) >= 1e15) throw new DecimalError(signedUnits, "units");
  const s = signedUnits.toFixed(Math.max(0, Math.min(precision, 10)));
  return /^-0(?:\.0*)?$/.test(s) ? s.slice(1) : s;
}
