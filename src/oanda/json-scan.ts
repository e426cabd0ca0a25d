// Byte-level JSON scanning for the pricing stream's fast path (price-scan.ts): skip one JSON
// value while checking that it is well formed, without building it. Works on UTF-8 bytes, not
// decoded text: every ASCII byte decodes to itself whatever surrounds it (a UTF-8 lead or
// continuation byte is never below 0x80), so the structure seen here is the structure JSON.parse
// sees in the decoded line, and bytes >= 0x80 can only sit inside strings. Anything unusual
// (nesting deeper than MAX_DEPTH, a newline) answers -1, which means "not recognised": the
// caller falls back to JSON.parse, which gives the verdict.

/** Deeper values are left to JSON.parse. */
export const MAX_DEPTH = 32;

/** The index after the JSON whitespace at i (space, tab, CR; a newline ends a stream line, so it is not skipped). */
export function skipWs(b: Uint8Array, i: number): number {
  let c = b[i];
  while (c === 32 || c === 9 || c === 13) c = b[++i];
  return i;
}

const isHex = (c: number | undefined) => c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));

/** b[i] is the opening quote: the index after the closing quote of a well-formed string, or -1. */
export function skipString(b: Uint8Array, i: number): number {
  let c = b[++i];
  for (;;) {
    if (c === 34) return i + 1;
    if (!(c! >= 32)) return -1; // a control character (JSON forbids them raw) or the end of the bytes
    if (c === 92) {
      c = b[++i];
      if (c === 117) {
        if (i + 4 >= b.length || !isHex(b[i + 1]) || !isHex(b[i + 2]) || !isHex(b[i + 3]) || !isHex(b[i + 4])) return -1;
        i += 4;
      } else if (c !== 34 && c !== 92 && c !== 47 && c !== 98 && c !== 102 && c !== 110 && c !== 114 && c !== 116) {
        return -1;
      }
    }
    c = b[++i];
  }
}

/** A JSON number starting at b[i]: the index after it, or -1. (Its value is not read: an exponent that overflows is still valid JSON.) */
export function skipNumber(b: Uint8Array, i: number): number {
  let c = b[i];
  if (c === 45) c = b[++i];
  if (c === 48) c = b[++i];
  else if (c! >= 49 && c! <= 57) while (c! >= 48 && c! <= 57) c = b[++i];
  else return -1;
  if (c === 46) {
    c = b[++i];
    if (!(c! >= 48 && c! <= 57)) return -1;
    while (c! >= 48 && c! <= 57) c = b[++i];
  }
  if (c === 101 || c === 69) {
    c = b[++i];
    if (c === 43 || c === 45) c = b[++i];
    if (!(c! >= 48 && c! <= 57)) return -1;
    while (c! >= 48 && c! <= 57) c = b[++i];
  }
  return i;
}

/** b[i] starts the literal `word` (bytes): the index after it, or -1. */
function skipLiteral(b: Uint8Array, i: number, word: readonly number[]): number {
  if (i + word.length > b.length) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}

const TRUE = [116, 114, 117, 101];
const FALSE = [102, 97, 108, 115, 101];
const NULL = [110, 117, 108, 108];

/** One JSON value at b[i] (no leading whitespace): the index after it, or -1. */
export function skipValue(b: Uint8Array, i: number, depth = 0): number {
  const c = b[i];
  if (c === 34) return skipString(b, i);
  if (c === 123 || c === 91) return depth >= MAX_DEPTH ? -1 : c === 123 ? skipObject(b, i, depth + 1) : skipArray(b, i, depth + 1);
  if (c === 116) return skipLiteral(b, i, TRUE);
  if (c === 102) return skipLiteral(b, i, FALSE);
  if (c === 110) return skipLiteral(b, i, NULL);
  return skipNumber(b, i);
}

function skipArray(b: Uint8Array, i: number, depth: number): number {
  i = skipWs(b, i + 1);
  if (b[i] === 93) return i + 1;
  for (;;) {
    i = skipValue(b, i, depth);
    if (i < 0) return -1;
    i = skipWs(b, i);
    const c = b[i];
    if (c === 93) return i + 1;
    if (c !== 44) return -1;
    i = skipWs(b, i + 1);
  }
}

function skipObject(b: Uint8Array, i: number, depth: number): number {
  i = skipWs(b, i + 1);
  if (b[i] === 125) return i + 1;
  for (;;) {
    if (b[i] !== 34) return -1;
    i = skipString(b, i);
    if (i < 0) return -1;
    i = skipWs(b, i);
    if (b[i] !== 58) return -1;
    i = skipValue(b, skipWs(b, i + 1), depth);
    if (i < 0) return -1;
    i = skipWs(b, i);
    const c = b[i];
    if (c === 125) return i + 1;
    if (c !== 44) return -1;
    i = skipWs(b, i + 1);
  }
}
