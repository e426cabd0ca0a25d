// The alert sink against real receivers on loopback: a good one, one that answers 500 and one
// that never answers. Trading calls notify(); it must return at once and never fail, whatever
// the receivers do.
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { alertsFromConfig, AlertDispatcher, type AlertEvent, webhookTransport, telegramTransport } from "../../src/alerts/index.ts";
import { wallClock } from "../../src/core/types.ts";
import { silentLogger } from "../../src/core/log.ts";
import { type Receiver, startReceiver } from "./receiver.ts";

const receivers: Receiver[] = [];
const dispatchers: AlertDispatcher[] = [];
afterEach(async () => {
  for (const d of dispatchers.splice(0)) d.close();
  for (const r of receivers.splice(0)) await r.close();
});
const receiver = async (mode: "ok" | "500" | "hang") => {
  const r = await startReceiver(mode);
  receivers.push(r);
  return r;
};

const fill = (n: number): AlertEvent => ({ kind: "fill", instrument: "USD_JPY", side: "buy", units: 1000 * n, price: 157, worker: "fast_scalp", pocket: "scalp_fast", clientId: `sk-${n}` });
const TG_TOKEN = "123456:AAH-very-secret-bot-token";

function logCapture() {
  let text = "";
  const log = pino({ level: "info" }, new Writable({ write(c, _e, cb) { text += String(c); cb(); } }));
  return { log, text: () => text };
}

function dispatcher(o: Partial<ConstructorParameters<typeof AlertDispatcher>[0]> & Pick<ConstructorParameters<typeof AlertDispatcher>[0], "transports">) {
  const d = new AlertDispatcher({ clock: wallClock, log: silentLogger, dedupMs: 60_000, perMinute: 20, timeoutMs: 2_000, ...o });
  dispatchers.push(d);
  return d;
}

describe("alerts to a webhook and to Telegram's Bot API", () => {
  it("posts a Slack/Discord payload to the webhook and a sendMessage to Telegram, configured from the environment", async () => {
    const hook = await receiver("ok");
    const tg = await receiver("ok");
    const { config } = parseConfig({ ALERT_WEBHOOK_URL: `${hook.url}/services/T0/B0/xyz`, ALERT_TELEGRAM_TOKEN: TG_TOKEN, ALERT_TELEGRAM_CHAT_ID: "-100123", ALERT_TELEGRAM_API_URL: tg.url });
    const d = alertsFromConfig(config, wallClock, silentLogger);
    dispatchers.push(d);
    d.notify(fill(1));
    const [h] = await hook.waitFor(1);
    expect(h!.path).toBe("/services/T0/B0/xyz");
    expect(h!.body).toMatchObject({ username: "sekisho" });
    expect(h!.body["text"]).toContain("FILLED BUY 1,000 USD_JPY");
    expect(h!.body["content"]).toBe(h!.body["text"]);
    const [t] = await tg.waitFor(1);
    expect(t!.path).toBe(`/bot${TG_TOKEN}/sendMessage`);
    expect(t!.body).toMatchObject({ chat_id: "-100123", disable_web_page_preview: true });
    expect(t!.body["text"]).toBe(h!.body["text"]);
  });

  it("ALERT_FILLS=0 mutes fills but not the kill switch", async () => {
    const hook = await receiver("ok");
    const { config } = parseConfig({ ALERT_WEBHOOK_URL: hook.url, ALERT_FILLS: "0" });
    const d = alertsFromConfig(config, wallClock, silentLogger);
    dispatchers.push(d);
    d.notify(fill(1));
    d.notify({ kind: "kill_switch", engaged: true, flatten: false, actor: "api:bob" });
    const got = await hook.waitFor(1);
    await d.flush(2_000);
    expect(got.map((g) => g.body["text"])).toEqual([expect.stringContaining("KILL SWITCH")]);
    expect(hook.received).toHaveLength(1);
  });

  it("notify returns before anything is sent: a receiver that never answers is cut at the deadline and the next alerts still go out", async () => {
    const hang = await receiver("hang");
    const good = await receiver("ok");
    const cap = logCapture();
    const d = dispatcher({ transports: [webhookTransport(hang.url), webhookTransport(good.url)], timeoutMs: 300, log: cap.log });
    d.notify(fill(1));
    // Nothing has been sent during the caller's turn: the trading path never waits for a socket.
    expect(hang.received).toHaveLength(0);
    expect(good.received).toHaveLength(0);
    d.notify(fill(2));
    await good.waitFor(2);
    await d.flush(5_000);
    expect(d.stats()).toMatchObject({ sent: 2, failed: 2 });
    expect(cap.text()).toContain("webhook: request timed out");
  });

  it("a receiver answering 500 is logged and counted, never retried in a loop, and later alerts still go out", async () => {
    const bad = await receiver("500");
    const cap = logCapture();
    const d = dispatcher({ transports: [telegramTransport({ token: TG_TOKEN, chatId: "1", apiUrl: bad.url })], log: cap.log });
    d.notify(fill(1));
    d.notify(fill(2));
    await bad.waitFor(2);
    await d.flush(5_000);
    expect(d.stats()).toMatchObject({ sent: 0, failed: 2 });
    expect(bad.received).toHaveLength(2);
    expect(cap.text()).toContain("telegram: HTTP 500");
    // The bot token is in the request URL; it must never reach the log.
    expect(cap.text()).not.toContain("AAH-very-secret");
    expect(cap.text()).not.toContain(bad.url);
  });

  it("de-duplicates the same alert within the window and rate-limits all but critical ones, saying how many were held back", async () => {
    const hook = await receiver("ok");
    const d = dispatcher({ transports: [webhookTransport(hook.url)], perMinute: 3 });
    d.notify(fill(1));
    d.notify(fill(1)); // same fill again: a duplicate
    d.notify(fill(2));
    d.notify(fill(3));
    d.notify(fill(4)); // over 3 a minute: held back
    d.notify(fill(5)); // held back
    d.notify({ kind: "stream_down", stream: "pricing", downSec: 61, limitSec: 60 }); // critical: always sent
    await hook.waitFor(4);
    await d.flush(2_000);
    const texts = hook.received.map((r) => String(r.body["text"]));
    expect(texts).toHaveLength(4);
    expect(texts.filter((t) => t.includes("FILLED"))).toHaveLength(3);
    expect(texts[3]).toContain("pricing stream DOWN");
    expect(texts[3]).toContain("2 more alerts suppressed");
    expect(d.stats()).toMatchObject({ deduplicated: 1, rateLimited: 2 });
  });

  it("without any transport configured, nothing is queued or sent", () => {
    const { config } = parseConfig({});
    const d = alertsFromConfig(config, wallClock, silentLogger);
    d.notify(fill(1));
    expect(d.enabled).toBe(false);
    expect(d.stats().queued).toBe(0);
  });
});
