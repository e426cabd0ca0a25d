// Where alerts go: a chat webhook (Slack- and Discord-compatible) and Telegram's Bot API. Each
// transport is one HTTP POST with a deadline; an answer other than 2xx is an error. Errors name
// the transport, never its URL: both URLs carry secrets (a webhook URL is its own credential;
// Telegram's has the bot token in its path).

export interface AlertMessage {
  text: string;
  severity: "info" | "warning" | "critical";
  kind: string;
}

export interface AlertTransport {
  readonly name: string;
  send(m: AlertMessage, signal: AbortSignal): Promise<void>;
}

type Fetch = typeof fetch;

async function post(name: string, url: string, body: unknown, signal: AbortSignal, fetchImpl: Fetch): Promise<void> {
  let res: Response;
  try {
    res = await fetchImpl(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal });
  } catch (e) {
    const why = signal.aborted ? "timed out" : e instanceof Error ? e.name : "failed";
    throw new Error(`${name}: request ${why}`);
  }
  // Read (and drop) the body so the connection is released.
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
}

/**
 * One JSON body both services read: Slack's incoming webhooks take `text`, Discord's take
 * `content` (2,000 characters at most); each ignores the other's field.
 */
export function webhookPayload(m: AlertMessage): { text: string; content: string; username: string } {
  return { text: m.text, content: m.text.slice(0, 2000), username: "sekisho" };
}

export function webhookTransport(url: string, fetchImpl: Fetch = fetch): AlertTransport {
  return { name: "webhook", send: (m, signal) => post("webhook", url, webhookPayload(m), signal, fetchImpl) };
}

export function telegramTransport(o: { token: string; chatId: string; apiUrl: string }, fetchImpl: Fetch = fetch): AlertTransport {
  const url = `${o.apiUrl.replace(/\/$/, "")}/bot${o.token}/sendMessage`;
  return {
    name: "telegram",
    // Plain text (no parse_mode): nothing in an alert can break Telegram's markup parser.
    send: (m, signal) => post("telegram", url, { chat_id: o.chatId, text: m.text.slice(0, 4096), disable_web_page_preview: true, disable_notification: m.severity === "info" }, signal, fetchImpl),
  };
}
