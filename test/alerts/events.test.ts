import { describe, expect, it } from "vitest";
import { ALERT_KINDS, type AlertEvent, alertText, scrub, webhookPayload } from "../../src/alerts/index.ts";

const one: Record<AlertEvent["kind"], AlertEvent> = {
  start: { kind: "start", mode: "paper", version: "0.1.0", accountId: "101-1" },
  stop: { kind: "stop", mode: "live", reason: "SIGTERM" },
  fill: { kind: "fill", instrument: "USD_JPY", side: "buy", units: 20000, price: 157.12, worker: "operator", pocket: "macro", clientId: "sk-op-1" },
  kill_switch: { kind: "kill_switch", engaged: true, flatten: true, actor: "api:alice" },
  pause: { kind: "pause", worker: "fast_scalp", paused: true, actor: "api:alice" },
  loss_limit: { kind: "loss_limit", scope: "daily", loss: 25000, limit: 20000, currency: "JPY" },
  closeout_guard: { kind: "closeout_guard", action: "entries_blocked", usage: 0.93 },
  late_fill: { kind: "late_fill", transactionId: "6410", instrument: "USD_JPY", units: 1000, clientId: "sk-x" },
  unattributed_fill: { kind: "unattributed_fill", transactionId: "6411", instrument: "USD_JPY", units: -2000 },
  margin_closeout: { kind: "margin_closeout", transactionId: "6412", instrument: "USD_JPY", units: -50000 },
  stream_down: { kind: "stream_down", stream: "pricing", downSec: 61, limitSec: 60 },
  stream_up: { kind: "stream_up", stream: "pricing", downSec: 70 },
  margin_usage: { kind: "margin_usage", level: 0.8, usage: 0.812, direction: "up" },
  replica_lag: { kind: "replica_lag", rows: 1200, limitRows: 1000, lastError: "fetch failed: https://user:pw@db.example.turso.io/v2?authToken=abc123" },
  replica_caught_up: { kind: "replica_caught_up", rows: 3 },
};

describe("alert texts", () => {
  it("every kind reads as one short line that names what happened", () => {
    for (const k of ALERT_KINDS) {
      const t = alertText(one[k]);
      expect(t.length, k).toBeLessThan(300);
      expect(t, k).toMatch(/sekisho/);
    }
    expect(alertText(one.fill)).toContain("FILLED BUY 20,000 USD_JPY @ 157.12");
    expect(alertText(one.kill_switch)).toContain("KILL SWITCH engaged with FLATTEN by api:alice");
    expect(alertText(one.margin_usage)).toContain("81.2% crossed 80.0%");
    expect(alertText(one.loss_limit)).toContain("LOSS LIMIT (daily)");
  });

  it("never carries credentials quoted in free text (URLs reduced to their host, bot tokens and bearer tokens hidden)", () => {
    const t = alertText(one.replica_lag);
    expect(t).not.toMatch(/abc123|user:pw|authToken/);
    expect(t).toContain("https://db.example.turso.io/");
    expect(scrub("POST https://api.telegram.org/bot123456:AAH-secret_x/sendMessage failed")).not.toContain("AAH-secret_x");
    expect(scrub("auth Bearer s3cr3t-t0ken")).not.toContain("s3cr3t");
    expect(scrub("bot123456:AAH-secret_x")).not.toContain("AAH-secret_x");
  });

  it("one webhook body both Slack (text) and Discord (content, at most 2,000 characters) read", () => {
    const p = webhookPayload({ text: "x".repeat(2500), severity: "info", kind: "fill" });
    expect(p.text).toHaveLength(2500);
    expect(p.content).toHaveLength(2000);
  });
});
