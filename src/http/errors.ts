// Every error the API returns has one shape: { error: { code, message, issues? } }.
import type { Context } from "hono";
import { NamedError } from "../core/named-error.ts";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorBody } from "./schemas/common.ts";

/**
 * An error with a status and a stable code that the client may see. ApiDeps implementations
 * throw it for expected refusals (bad cursor, bus full, ...). Any other error becomes a 500
 * with no internals in the body.
 */
export class ApiError extends NamedError {
  constructor(readonly status: ContentfulStatusCode, readonly code: string, message: string) {
    super("ApiError", message);
  }
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export function errorBody(code: string, message: string, issues?: ValidationIssue[]): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } };
}

export function jsonError(c: Context, status: ContentfulStatusCode, code: string, message: string, issues?: ValidationIssue[]): Response {
  return c.json(errorBody(code, message, issues), status);
}

/** zod issues as path/message pairs ("units: expected a positive number of units"). */
export function issuesOf(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string; keys?: string[] }> }): ValidationIssue[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join(".");
    const message = i.code === "unrecognized_keys" && i.keys ? `unknown field(s): ${i.keys.join(", ")}` : i.message;
    return { path, message };
  });
}
