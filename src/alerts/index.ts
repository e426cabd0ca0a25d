// Alerts where traders look (webhooks, Telegram). Other parts raise a typed AlertEvent through an
// AlertSink (`agent.alerts.notify(...)`); see ./events.ts for the events and ./dispatcher.ts for
// how they are sent off the trading path.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../core/log.ts";
import type { Clock } from "../core/types.ts";
import { AlertDispatcher } from "./dispatcher.ts";
import type { AlertKind } from "./events.ts";
import { type AlertTransport, telegramTransport, webhookTransport } from "./transports.ts";

export { AlertDispatcher, type AlertSink, type DispatcherStats } from "./dispatcher.ts";
export { type AlertEvent, type AlertKind, type AlertSeverity, ALERT_KINDS, alertText, dedupKey, severityOf, scrub } from "./events.ts";
export { marginStep, replicaStep, streamStep, type StreamWatch } from "./conditions.ts";
export { createAlertWatch, type WatchedState, type WatchLimits } from "./watch.ts";
export { type AlertMessage, type AlertTransport, telegramTransport, webhookPayload, webhookTransport } from "./transports.ts";

/** The dispatcher the configuration asks for (no transport configured: it sends nothing). */
export function alertsFromConfig(config: Config, clock: Clock, log: Logger, fetchImpl: typeof fetch = fetch): AlertDispatcher {
  const transports: AlertTransport[] = [];
  if (config.ALERT_WEBHOOK_URL) transports.push(webhookTransport(config.ALERT_WEBHOOK_URL, fetchImpl));
  if (config.ALERT_TELEGRAM_TOKEN && config.ALERT_TELEGRAM_CHAT_ID) {
    transports.push(telegramTransport({ token: config.ALERT_TELEGRAM_TOKEN, chatId: config.ALERT_TELEGRAM_CHAT_ID, apiUrl: config.ALERT_TELEGRAM_API_URL }, fetchImpl));
  }
  const muted = new Set<AlertKind>();
  if (!config.ALERT_FILLS) muted.add("fill");
  return new AlertDispatcher({
    transports, clock, log: log.child({ part: "alerts" }), muted,
    dedupMs: config.ALERT_DEDUP_SEC * 1000, perMinute: config.ALERT_RATE_PER_MIN, timeoutMs: config.ALERT_TIMEOUT_MS,
    agentName: config.ALERT_NAME,
  });
}
