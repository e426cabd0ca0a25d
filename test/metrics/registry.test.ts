// The registry the agent reports into: each agent has its own, and the figures come out as
// a Prometheus parser reads them.
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { MetricsRegistry, TICK_TO_SUBMIT_BUCKETS } from "../../src/metrics/registry.ts";

async function families(m: MetricsRegistry) {
  return new Map(parsePrometheusTextFormat(await m.text()).map((f) => [f.name, f]));
}

describe("MetricsRegistry", () => {
  it("two registries never share counts (no global default registry)", async () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.decision("skipped", "spread");
    a.decision("skipped", "spread");
    const fa = await families(a);
    const fb = await families(b);
    expect(Number(fa.get("sekisho_decisions_total")!.metrics[0]!.value)).toBe(2);
    expect(fb.get("sekisho_decisions_total")!.metrics).toEqual([]);
  });

  it("orders by status are all present from the start and replaced, not added, on update", async () => {
    const m = new MetricsRegistry();
    m.orderStatus({ filled: 3, unknown: 1 });
    m.orderStatus({ filled: 4 });
    const samples = (await families(m)).get("sekisho_orders")!.metrics;
    const by = Object.fromEntries(samples.map((s) => [s.labels!.status, Number(s.value)]));
    expect(by).toEqual({ intent: 0, submitted: 0, unknown: 0, filled: 4, cancelled: 0, rejected: 0, reconciled: 0 });
  });

  it("tick-to-submit buckets run from 50 µs (250 µs is a bucket edge) to 5 s and negative (clock-skew) samples are dropped", async () => {
    expect(TICK_TO_SUBMIT_BUCKETS[0]).toBe(0.00005);
    expect(TICK_TO_SUBMIT_BUCKETS).toContain(0.00025);
    expect(TICK_TO_SUBMIT_BUCKETS.at(-1)).toBe(5);
    const m = new MetricsRegistry();
    m.tickToSubmit(0.0002);
    m.tickToSubmit(0.0004);
    m.tickToSubmit(0.02);
    m.tickToSubmit(7);
    m.tickToSubmit(-0.001);
    m.tickToSubmit(Number.NaN);
    const h = (await families(m)).get("sekisho_tick_to_submit_seconds")!.metrics[0]!;
    expect(Number(h.count)).toBe(4);
    expect(Number(h.buckets!["0.00025"])).toBe(1);
    expect(Number(h.buckets!["0.0005"])).toBe(2);
    expect(Number(h.buckets!["0.025"])).toBe(3);
    expect(Number(h.buckets!["5"])).toBe(3);
    expect(Number(h.buckets!["+Inf"])).toBe(4);
  });

  it("beforeScrape hooks set figures at scrape time", async () => {
    const m = new MetricsRegistry();
    let age = 0;
    m.beforeScrape(() => m.priceAge("USD_JPY", (age += 1.5)));
    await m.text();
    const s = (await families(m)).get("sekisho_price_age_seconds")!.metrics[0]!;
    expect(s.labels).toEqual({ instrument: "USD_JPY" });
    expect(Number(s.value)).toBe(3);
  });

  it("build info and control state are exported", async () => {
    const m = new MetricsRegistry({ version: "0.1.0", runtime: "deno 2", mode: "paper", startedAt: 1_767_600_000_000 });
    m.setControl({ killSwitch: true, pausedWorkers: { fast_scalp: true, hedge_balancer: false } });
    const f = await families(m);
    expect(f.get("sekisho_build_info")!.metrics[0]!.labels).toEqual({ version: "0.1.0", runtime: "deno 2", mode: "paper" });
    expect(Number(f.get("sekisho_start_time_seconds")!.metrics[0]!.value)).toBe(1_767_600_000);
    expect(Number(f.get("sekisho_kill_switch_engaged")!.metrics[0]!.value)).toBe(1);
    const paused = Object.fromEntries(f.get("sekisho_worker_paused")!.metrics.map((s) => [s.labels!.worker, Number(s.value)]));
    expect(paused).toEqual({ fast_scalp: 1, hedge_balancer: 0 });
  });
});
