// Bearer-token checks for the API (the loopback rule for start-up is core/loopback.ts).
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

