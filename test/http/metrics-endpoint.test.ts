// /metrics must be readable by a real Prometheus text parser and carry the figures the memo
// asks operators to watch (margin usage, free margin, decisions, orders by status, latency).
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./serve.ts";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const NAMED = [
  "sekisho_margin_usage_ratio", "sekisho_free_margin_ratio", "sekisho_nav", "sekisho_decisions_total", "sekisho_orders",
  "sekisho_stream_reconnects_total", "sekisho_stream_malformed_lines_total", "sekisho_fast_scalp_skips_total",
  "sekisho_signals_total", "sekisho_signal_bus_dropped_total", "sekisho_tick_to_submit_seconds", "sekisho_replica_lag_rows",
  "sekisho_price_age_seconds",
];

describe("GET /metrics", () => {
  it("is Prometheus text format 0.0.4 that a real parser reads, with every named metric", async () => {
    api = await startApi();
    const m = api.deps.metrics as import("../../src/metrics/registry.ts").MetricsRegistry;
    m.setAccount({ marginUsageRatio: 0.062, freeMarginRatio: 0.938, nav: 500_000 });
    m.streamReconnect("pricing");
    m.malformedLine("transactions");
    m.fastScalpSkip("spread");
    m.signalPublished("fast_scalp");
    m.signalDropped("signal_stale");
    m.tickToSubmit(0.0031);
    m.replicaLag(3);
    m.priceAge("USD_JPY", 0.25);
    // One decision through the API, so the counter is the one the gate path increments.
    await fetch(`${api.base}/control/signal`, { method: "POST", headers: { ...api.auth, "Content-Type": "application/json" }, body: JSON.stringify({ instrument: "USD_JPY", side: "buy", units: 1000 }) });

    const res = await fetch(`${api.base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parsePrometheusTextFormat(await res.text());
    const byName = new Map(families.map((f) => [f.name, f]));
    for (const name of NAMED) expect(byName.has(name), name).toBe(true);

    const value = (name: string, labels: Record<string, string> = {}) =>
      Number(byName.get(name)!.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v))?.value);
    expect(byName.get("sekisho_margin_usage_ratio")!.type).toBe("GAUGE");
    expect(value("sekisho_margin_usage_ratio")).toBe(0.062);
    expect(value("sekisho_free_margin_ratio")).toBe(0.938);
    expect(value("sekisho_decisions_total", { outcome: "accepted", reason: "ok" })).toBe(1);
    // Orders by status come from the real journal: one filled, one cancelled, the rest 0.
    expect(value("sekisho_orders", { status: "filled" })).toBe(1);
    expect(value("sekisho_orders", { status: "cancelled" })).toBe(1);
    expect(value("sekisho_orders", { status: "unknown" })).toBe(0);
    expect(value("sekisho_stream_reconnects_total", { stream: "pricing" })).toBe(1);
    expect(value("sekisho_price_age_seconds", { instrument: "USD_JPY" })).toBe(0.25);

    const hist = byName.get("sekisho_tick_to_submit_seconds")!;
    expect(hist.type).toBe("HISTOGRAM");
    const sample = hist.metrics[0]!;
    expect(Number(sample.count)).toBe(1);
    expect(Number(sample.buckets!["0.0025"])).toBe(0);
    expect(Number(sample.buckets!["0.005"])).toBe(1);
  });
});
