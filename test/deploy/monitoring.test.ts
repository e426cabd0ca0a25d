// The monitoring kit in deploy/ must work against the agent as it is: the Grafana dashboard
// parses and every metric its queries and the Prometheus alert rules name is one the agent's
// metrics registry exports (a renamed metric would leave a panel blank and an alert silent).
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { MetricsRegistry } from "../../src/metrics/registry.ts";

const read = (p: string) => readFileSync(new URL(`../../deploy/${p}`, import.meta.url), "utf8");

/** Names the registry exports, with a histogram's _bucket/_sum/_count series. */
async function exported(): Promise<Set<string>> {
  const m = new MetricsRegistry({ version: "0", runtime: "node", mode: "paper", startedAt: 0 });
  const names = new Set<string>();
  for (const metric of await m.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(metric.name + s);
  }
  return names;
}

/** Prometheus' own series and PromQL words, which are not metric names. */
const NOT_METRICS = new Set(["up"]);
function metricNames(expr: string): string[] {
  // Label matchers and strings out first, then every identifier that looks like a metric.
  const bare = expr.replace(/\{[^}]*\}/g, "").replace(/"[^"]*"/g, "");
  return [...bare.matchAll(/\b(sekisho_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
}

describe("deploy/ monitoring kit", () => {
  it("the Grafana dashboard is JSON whose every query names exported metrics", async () => {
    const dash = JSON.parse(read("grafana/sekisho.json")) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }>; templating: { list: Array<{ query: string }> } };
    const names = await exported();
    const used = new Set<string>();
    for (const p of dash.panels) {
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) for (const n of metricNames(t.expr)) used.add(n);
    }
    for (const v of dash.templating.list) for (const n of metricNames(v.query)) used.add(n);
    expect([...used].filter((n) => !names.has(n))).toEqual([]);
    // The dashboard shows the figures an operator watches first.
    for (const n of ["sekisho_margin_usage_ratio", "sekisho_nav", "sekisho_kill_switch_engaged", "sekisho_decisions_total"]) expect(used).toContain(n);
  });

  it("the Prometheus rules are valid YAML alert rules whose every metric is exported", async () => {
    const doc = parse(read("prometheus/sekisho-alerts.yml")) as { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; labels?: Record<string, string> }> }> };
    const names = await exported();
    const rules = doc.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(5);
    for (const r of rules) {
      expect(r.alert, JSON.stringify(r)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(["warning", "critical"]).toContain(r.labels?.["severity"]);
      const missing = metricNames(r.expr).filter((n) => !names.has(n) && !NOT_METRICS.has(n));
      expect(missing, r.alert).toEqual([]);
    }
    // The alert conditions of the agent's own alerts have a rule each.
    const exprs = rules.map((r) => r.expr).join("\n");
    for (const n of ["sekisho_kill_switch_engaged", "sekisho_worker_paused", "sekisho_margin_usage_ratio", "sekisho_price_age_seconds", "sekisho_replica_lag_rows"]) expect(exprs).toContain(n);
  });
});
