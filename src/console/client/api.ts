// The dashboard's only way to the agent: its own JSON API, same origin. The control token lives
// in sessionStorage (this tab, until it is closed) and travels only in the Authorization header:
// never in a URL, so it never reaches a server log, history or a Referer.
const TOKEN_KEY = "sekisho.controlToken";

export function token(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(t: string | null): void {
  try {
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token is simply not kept.
  }
}

export type Answer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; body: unknown };

function headers(): HeadersInit {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<Answer<T>> {
  try {
    const res = await fetch(path, { headers: headers(), cache: "no-store", signal });
    const body = res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text();
    // /health answers 503 with its report when the agent is down: still a report to show.
    return res.ok || (path.startsWith("/health") && res.status === 503 && typeof body === "object") ? { ok: true, status: res.status, body: body as T } : { ok: false, status: res.status, body };
  } catch (e) {
    return { ok: false, status: 0, body: String(e) };
  }
}

export async function postControl(path: string): Promise<Answer<unknown>> {
  try {
    const res = await fetch(path, { method: "POST", headers: { ...headers(), "X-Sekisho-Actor": "dashboard" } });
    const body = await res.json().catch(() => null);
    return res.ok ? { ok: true, status: res.status, body } : { ok: false, status: res.status, body };
  } catch (e) {
    return { ok: false, status: 0, body: String(e) };
  }
}
