// Bearer-token checks for the API, and the loopback rule for start-up.
import type { MiddlewareHandler } from "hono";
import { jsonError } from "./errors.ts";

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Compare two secrets in constant time. Both are hashed first, so the comparison always runs
 * over 32 bytes whatever the lengths, and leaks neither the length nor the matching prefix.
 */
export async function tokensEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(given), sha256(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The token from `Authorization: Bearer <token>` (scheme case-insensitive), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1] : undefined;
}

const REALM = 'Bearer realm="sekisho"';

/**
 * Require `Authorization: Bearer <controlToken>`. Without a configured token the endpoints are
 * refused outright with 403 control_disabled: there is nothing a client could send to get in,
 * so 401 would mislead, and the server itself is not unavailable (503).
 */
export function requireBearer(controlToken: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!controlToken) {
      return jsonError(c, 403, "control_disabled", "this endpoint needs CONTROL_TOKEN to be set on the server");
    }
    const header = c.req.header("Authorization");
    const given = bearerToken(header);
    if (given === undefined) {
      c.header("WWW-Authenticate", REALM);
      return jsonError(c, 401, "unauthorized", "missing bearer token: send Authorization: Bearer <CONTROL_TOKEN>");
    }
    if (!(await tokensEqual(given, controlToken))) {
      c.header("WWW-Authenticate", `${REALM}, error="invalid_token"`);
      return jsonError(c, 401, "unauthorized", "invalid bearer token");
    }
    await next();
  };
}

/**
 * True when `host` only accepts connections from this machine: localhost, 127.0.0.0/8, ::1
 * (bracketed or not) and IPv4-mapped ::ffff:127.x. 0.0.0.0 and :: bind every interface, so
 * they are NOT loopback. Used by `run`: off loopback without CONTROL_TOKEN, refuse to start.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h === "localhost" || h === "localhost.") return true;
  if (isIpv4Loopback(h)) return true;
  const mapped = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return isIpv4Loopback(mapped[1]!);
  return isIpv6Loopback(h);
}

function isIpv4Loopback(h: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (!m) return false;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) && octets[0] === 127;
}

/** ::1 in any spelling (0:0:0:0:0:0:0:1, ::0:1, ...). */
function isIpv6Loopback(h: string): boolean {
  if (!/^[0-9a-f:]+$/.test(h) || !h.includes(":")) return false;
  const parts = h.split("::");
  if (parts.length > 2) return false;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(parts[0]!);
  const tail = parts.length === 2 ? groups(parts[1]!) : [];
  if ([...head, ...tail].some((g) => g.length === 0 || g.length > 4)) return false;
  const missing = 8 - head.length - tail.length;
  if (parts.length === 1 ? missing !== 0 : missing < 1) return false;
  const all = [...head, ...Array<string>(parts.length === 2 ? missing : 0).fill("0"), ...tail].map((g) => parseInt(g, 16));
  return all.slice(0, 7).every((n) => n === 0) && all[7] === 1;
}
