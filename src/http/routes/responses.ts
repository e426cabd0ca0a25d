// OpenAPI response entries shared by the route definitions.
import type { z } from "@hono/zod-openapi";
import { ErrorBodySchema } from "../schemas/common.ts";

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

export const errorResponse = (description: string) => jsonContent(ErrorBodySchema, description);

export const ERR_400 = errorResponse("Malformed input: { error: { code, message, issues } }");
export const ERR_401_REMOTE = errorResponse("Only when the server is bound off loopback: every endpoint then needs the bearer token.");
export const ERR_401 = errorResponse("Missing or wrong bearer token (WWW-Authenticate says Bearer).");
export const ERR_403 = errorResponse("CONTROL_TOKEN is not configured on the server (code control_disabled).");
export const ERR_404 = errorResponse("Not found.");
export const ERR_413 = errorResponse("Request body larger than HTTP_BODY_LIMIT_BYTES.");
export const ERR_415 = errorResponse("Body is not application/json.");
export const ERR_422 = errorResponse("An operator order larger than MAX_ORDER_UNITS (code too_large): refused, nothing sent.");
export const ERR_500 = errorResponse("Unexpected error; details are in the server log only.");
export const ERR_503 = errorResponse("The agent cannot take the request now (e.g. signal bus full).");
/** What every GET of the read API shares: the tag, and the token only off loopback. */
export const READ_GET: { method: "get"; tags: string[] } = { method: "get", tags: ["read"] };
/** Its errors: the token off loopback, the unexpected. */
export const READ_ERRORS = { 401: ERR_401_REMOTE, 500: ERR_500 } as const;
/** Its errors when it takes a query or parameters that can be malformed. */
export const READ_INPUT_ERRORS = { 400: ERR_400, ...READ_ERRORS } as const;

