// Errors the OANDA adapter throws. None of them carries the token or the request headers.

/** The broker answered with a non-2xx status (after retries, for reads). */
export class OandaHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
    readonly errorCode?: string,
    readonly errorMessage?: string,
  ) {
    super(`OANDA ${method} ${path} -> HTTP ${status}${errorCode ? ` ${errorCode}` : ""}${errorMessage ? `: ${errorMessage}` : ""}`);
    this.name = "OandaHttpError";
  }
}

/** No HTTP answer: timeout, connection refused or reset, DNS. The request may or may not have arrived. */
export class OandaNetworkError extends Error {
  constructor(readonly method: string, readonly path: string, readonly timedOut: boolean, cause: unknown) {
    super(`OANDA ${method} ${path}: ${timedOut ? "timed out" : `network error (${describeCause(cause)})`}`, { cause });
    this.name = "OandaNetworkError";
  }
}

/** The broker answered 2xx but the body is not what OANDA's spec promises. */
export class OandaResponseError extends Error {
  constructor(readonly method: string, readonly path: string, readonly issues: string) {
    super(`OANDA ${method} ${path}: unexpected response (${issues})`);
    this.name = "OandaResponseError";
  }
}

export function describeCause(e: unknown): string {
  if (e instanceof Error) {
    const c = (e as { cause?: unknown }).cause;
    const code = c && typeof c === "object" && "code" in c ? String((c as { code: unknown }).code) : undefined;
    return code ? `${e.message}: ${code}` : e.message;
  }
  return String(e);
}

export function isTimeout(e: unknown): boolean {
  return e instanceof Error && (e.name === "TimeoutError" || (e as { cause?: { name?: string } }).cause?.name === "TimeoutError");
}
