// The start-up rule for the API's address (design.md "HTTP"): on loopback the read endpoints are
// open and control needs the token; anywhere else every endpoint needs it, and without a token
// (or with one short enough to guess) the agent refuses to start.
import { isLoopbackHost } from "../core/loopback.ts";

/** Off loopback a token is all that stands between the network and the account. */
export const MIN_REMOTE_TOKEN_LENGTH = 16;

export type BindingDecision =
  | { ok: true; requireTokenEverywhere: boolean }
  | { ok: false; variable: "CONTROL_TOKEN"; message: string };

export function bindingPolicy(host: string, controlToken: string | undefined): BindingDecision {
  if (isLoopbackHost(host)) return { ok: true, requireTokenEverywhere: false };
  if (!controlToken) {
    return { ok: false, variable: "CONTROL_TOKEN", message: `HTTP_HOST=${host} is not loopback: set CONTROL_TOKEN (every endpoint will then need it) or bind 127.0.0.1` };
  }
  if (controlToken.length < MIN_REMOTE_TOKEN_LENGTH) {
    return { ok: false, variable: "CONTROL_TOKEN", message: `CONTROL_TOKEN must be at least ${MIN_REMOTE_TOKEN_LENGTH} characters when HTTP_HOST=${host} is not loopback (in a .env file an unquoted # starts a comment: quote a token that holds one)` };
  }
  return { ok: true, requireTokenEverywhere: true };
}
