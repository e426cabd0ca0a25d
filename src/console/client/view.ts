// The dashboard's sections as HTML strings built from the API's answers. Every value from the
// API goes through esc(); shapes are read loosely (field()) so an older or newer agent still
// renders what it has and says "not available" for the rest.
import { ageMs, esc, field, num, pct, plClass, signed, time } from "./format.ts";
import type { Key } from "./i18n.ts";

export type T = (k: Key, vars?: Record<string, string>) => string;
// deno-lint-ignore no-explicit-any
export type Json = any;

export const WORKERS = ["fast_scalp", "micro_multistrat", "hedge_balancer", "operator"] as const;

const pill = (cls: string, text: string) => `<span class="pill ${esc(cls)}">${esc(text)}</span>`;
const table = (head: string[], rows: string[], empty: string) =>
  rows.length === 0 ? `<p class="empty">${esc(empty)}</p>` : `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
const sideCell = (s: unknown) => `<td class="side ${s === "buy" ? "buy" : s === "sell" ? "sell" : ""}">${esc(s ?? "—")}</td>`;

/**
 * The loss-cut as a ratio of margin used to NAV (OANDA Japan: 1; the 50% rule: 2), and the
 * rule's name and evidence, from /positions' account.closeout and /health's checks.closeout.
 * An agent that reports no rule: the stricter (Japan), as the agent itself assumes.
 */
export function closeoutRule(positions: Json, health: Json): { ratio: number; name: string | null; evidence: unknown; note: string | null } {
  const name = field(positions?.account, "closeout.rule") ?? field(health?.checks, "closeout.rule");
  const c = health?.checks?.closeout;
  return { ratio: name === "half" ? 2 : 1, name: typeof name === "string" ? name : null, evidence: c?.evidence ?? null, note: typeof c?.note === "string" ? c.note : null };
}

export function cards(t: T, p: Json, pnl: Json): string {
  const a = p?.account ?? {};
  const ccy = esc(a.currency ?? "");
  const realized = field(pnl, "total.net", "total.realized");
  const rows = (pnl?.rows ?? []) as Json[];
  const today = rows.length > 0 ? rows[rows.length - 1] : undefined;
  const card = (label: string, value: string, cls = "", sub = "") => `<div class="card"><div class="label">${esc(label)}</div><div class="value ${cls}">${value}</div>${sub ? `<div class="sub">${sub}</div>` : ""}</div>`;
  return [
    card(t("nav"), `${num(a.nav)} <small>${ccy}</small>`),
    card(t("balance"), `${num(a.balance)} <small>${ccy}</small>`),
    card(t("unrealized"), signed(a.unrealizedPL), plClass(a.unrealizedPL)),
    card(t("realized"), realized === undefined ? `<span class="na">—</span>` : signed(realized), plClass(realized), realized === undefined ? esc(t("not_available")) : today ? `${esc(t("today"))} (${esc(today.key)}) <span class="${plClass(today.net)}">${signed(today.net)}</span>` : ""),
    card(t("margin_used"), `${num(a.marginUsed)} <small>${ccy}</small>`, "", pct(a.margin_usage_ratio)),
    card(t("margin_available"), `${num(a.marginAvailable)} <small>${ccy}</small>`, "", pct(a.free_margin_ratio)),
  ].join("");
}

/** One gauge: usage, the budget, the hedge trigger and the loss-cut on one scale of NAV. */
export function gauge(t: T, p: Json, health: Json, config: Json): { html: string; fill: number; marks: Array<{ at: number; cls: string }> } {
  const a = p?.account ?? {};
  const usage = typeof a.margin_usage_ratio === "number" ? a.margin_usage_ratio : 0;
  const budget = a.nav > 0 && typeof a.marginBudget === "number" ? a.marginBudget / a.nav : undefined;
  const hedge = typeof config?.HEDGE_TRIGGER_MARGIN_USAGE === "number" ? config.HEDGE_TRIGGER_MARGIN_USAGE : undefined;
  const rule = closeoutRule(p, health);
  const scale = Math.max(rule.ratio * 1.08, usage * 1.05, 0.5);
  const at = (x: number) => Math.min(100, (x / scale) * 100);
  const zone = usage >= rule.ratio * 0.9 ? "danger" : budget !== undefined && usage >= budget ? "warn" : "okz";
  const marks = [
    ...(budget !== undefined ? [{ at: at(budget), cls: "m-budget", label: `${t("budget")} ${pct(budget)}` }] : []),
    ...(hedge !== undefined ? [{ at: at(hedge), cls: "m-hedge", label: `${t("hedge_trigger")} ${pct(hedge, 0)}` }] : []),
    { at: at(rule.ratio), cls: "m-losscut", label: `${t("loss_cut")} ${pct(rule.ratio, 0)}` },
  ];
  const nearest = field(a, "closeout.distancePips");
  const minPips = typeof nearest === "number" ? nearest : Math.min(...((p?.instruments ?? []) as Json[]).map((i) => Number(field(i, "closeoutMovePips") ?? Infinity)));
  const guard = health?.checks?.closeout?.guard;
  const html = `
    <div class="gauge-head"><span>${esc(t("margin_gauge"))}</span><strong class="${zone}">${pct(usage)}</strong>
      <span class="pips">${Number.isFinite(minPips) ? `<b>${num(minPips, 1)}</b> ${esc(t("pips_to_loss_cut"))}${a.closeout?.instrument ? ` <small>${esc(a.closeout.instrument)} ${a.closeout.direction === "up" ? "↑" : a.closeout.direction === "down" ? "↓" : ""}</small>` : ""}` : ""}
      ${guard ? (guard.engaged ? ` <span class="pill bad">${esc(t("guard"))} ${esc(guard.reason ?? "")}</span>` : ` <span class="pill muted">${esc(t("guard_off"))} ${num(guard.guardPips, 0)} pips / ${pct(guard.guardUsage, 0)}</span>`) : ""}</span></div>
    <div class="gauge"><div class="gauge-fill ${zone}" data-w="${at(usage).toFixed(2)}"></div>
      ${marks.map((m) => `<div class="mark ${m.cls}" data-x="${m.at.toFixed(2)}"><span>${esc(m.label)}</span></div>`).join("")}</div>
    <div class="rule"><div><span class="k">${esc(t("model"))}</span> ${esc(t("in_force"))} <b>${esc(a.marginModel?.inForce ?? "—")}</b> (${esc(t("setting"))} ${esc(a.marginModel?.setting ?? "—")})
      · ${esc(t("evidence"))}: ${health?.checks?.marginModel?.evidence ? esc(evidenceText(health.checks.marginModel.evidence)) : esc(health?.checks?.marginModel?.note ?? t("no_evidence"))}</div>
      <div><span class="k">${esc(t("closeout_rule"))}</span> ${rule.name ? `<b>${esc(rule.name)}</b> — ${esc(t(rule.name === "half" ? "rule_half" : "rule_japan"))}${rule.note ? ` · ${esc(rule.note)}` : ""}${rule.evidence ? ` · ${esc(t("evidence"))}: ${esc(evidenceText(rule.evidence))}` : ""}` : esc(t("rule_unknown"))}</div></div>`;
  return { html, fill: at(usage), marks };
}

function evidenceText(e: unknown): string {
  if (!e || typeof e !== "object") return String(e);
  return Object.entries(e as Record<string, unknown>).map(([k, v]) => `${k} ${typeof v === "number" ? num(v, Math.abs(v) < 10 ? 3 : 0) : k === "at" ? time(v) : String(v)}`).join(", ");
}

export function positionsTable(t: T, p: Json, canControl: boolean): string {
  const rows = ((p?.instruments ?? []) as Json[]).map((i) => {
    const hb = i.headroom?.buy, hs = i.headroom?.sell;
    const pips = field(i, "closeoutMovePips");
    const room = (h: Json) => (h ? `${num(h.units)} <small class="${h.reason === "ok" ? "" : "warnc"}">${esc(h.reason)}${h.netReducing ? " ⇄" : ""}</small>` : "—");
    return `<tr><td class="inst">${esc(i.instrument)}</td>
      <td class="num">${i.price ? `${esc(i.price.bid)} / ${esc(i.price.ask)}` : "—"}</td>
      <td class="num buy">${num(i.long)}</td><td class="num sell">${num(i.short)}</td><td class="num strong">${signed(i.net)}</td>
      <td class="num ${plClass(i.unrealizedPL)}">${signed(i.unrealizedPL)}</td>
      <td class="num">${typeof pips === "number" ? num(pips, 1) : "—"}</td>
      <td class="num">${room(hb)}</td><td class="num">${room(hs)}</td>
      <td class="pk">${((i.pockets ?? []) as Json[]).map((k) => `${esc(k.pocket)} ${num(k.long)}/${num(k.short)}`).join("<br>") || "—"}</td>
      <td>${canControl && (i.long > 0 || i.short > 0) ? `<button class="btn small danger" data-action="flatten" data-instrument="${esc(i.instrument)}">${esc(t("flatten"))}</button>` : ""}</td></tr>`;
  });
  return table([t("instrument"), t("price"), t("long"), t("short"), t("net"), t("unrealized"), t("pips_to_loss_cut"), t("headroom_buy"), t("headroom_sell"), t("pockets"), ""], rows, t("none"));
}

export function tradesView(t: T, trades: Json, available: boolean): string {
  if (!available) return `<p class="empty">${esc(t("not_available"))}</p>`;
  const list = (Array.isArray(trades) ? trades : (trades?.trades ?? [])) as Json[];
  const isOpen = (x: Json) => String(field(x, "state", "status") ?? "").toLowerCase() === "open" || field(x, "closeTime", "closedAt") === undefined;
  const row = (x: Json) => {
    const units = Number(field(x, "units", "openUnits") ?? 0);
    const side = field(x, "side") ?? (units < 0 ? "sell" : "buy");
    const pl = field(x, "netPL", "realizedPL");
    const upl = field(x, "unrealizedPL");
    const open = isOpen(x);
    return `<tr><td>${time(field(x, "openTime"))}</td><td class="inst">${esc(field(x, "instrument") ?? "—")}</td>${sideCell(side)}<td class="num">${num(Math.abs(units))}</td>
      <td class="num">${esc(field(x, "openPrice") ?? "—")}</td><td class="num">${esc(field(x, "closePrice") ?? "—")}</td>
      <td class="num ${plClass(open ? upl : pl)}">${signed(open ? upl ?? pl : pl, 0)}</td><td>${esc(field(x, "pocket") ?? "")} <small>${esc(field(x, "strategy") ?? "")}</small></td>
      <td>${open ? "—" : time(field(x, "closeTime"))}</td><td class="mono">${esc(field(x, "closeReason") ?? "")}</td></tr>`;
  };
  const open = list.filter(isOpen).map(row);
  const closed = list.filter((x) => !isOpen(x)).slice(0, 30).map(row);
  const head = [t("time"), t("instrument"), t("side"), t("units"), t("open_col"), t("close_col"), t("pl"), t("pockets"), t("closed_col"), t("close_reason")];
  return `<h3>${esc(t("open_trades"))} (${open.length})</h3><div id="trades-open">${table(head, open, t("none"))}</div><h3>${esc(t("closed_trades"))}</h3><div id="trades-closed">${table(head, closed, t("none"))}</div>`;
}

export function ordersTable(t: T, orders: Json[]): string {
  return table([t("time"), t("worker"), t("instrument"), t("side"), t("units"), t("status_col"), t("fill_price"), t("client_id")], orders.map((o) =>
    `<tr class="st-${esc(o.status)}"><td>${time(o.filledAt ?? o.updatedAt ?? o.intentAt)}</td><td>${esc(o.worker)}<small> ${esc(o.strategy)}</small></td><td class="inst">${esc(o.instrument)}</td>${sideCell(o.side)}
     <td class="num">${num(o.filledUnits ?? o.requestedUnits)}${o.reduceOnly ? ` <small>RO</small>` : ""}</td><td>${pill(`st ${o.status}`, o.status)}</td><td class="num">${esc(o.fillPrice ?? "—")}</td><td class="mono">${esc(o.clientId)}</td></tr>`), t("none"));
}

export function decisionsTable(t: T, decisions: Json[]): string {
  return table([t("time"), t("worker"), t("instrument"), t("side"), t("outcome"), t("reason"), t("units")], decisions.map((d) =>
    `<tr><td>${time(d.ts)}</td><td>${esc(d.worker)}<small> ${esc(d.strategy)}</small></td><td class="inst">${esc(d.instrument)}</td>${sideCell(d.side)}
     <td>${pill(d.outcome === "accepted" ? "good" : d.outcome === "error" ? "bad" : "muted", d.outcome)}</td><td class="mono">${esc(d.reason ?? "")}</td><td class="num">${d.units == null ? "—" : num(d.units)}</td></tr>`), t("none"));
}

export function healthView(t: T, h: Json): string {
  const c = h?.checks ?? {};
  const st = (s: unknown) => pill(s === "ok" ? "good" : s === "degraded" ? "warn" : "bad", String(s ?? "—"));
  const line = (label: string, status: unknown, detail: string) => `<div class="hl"><span class="hk">${esc(label)}</span>${st(status)}<span class="hd">${detail}</span></div>`;
  const stream = (s: Json) => s ? `${s.connected ? esc(t("connected")) : `<b class="bad">${esc(t("disconnected"))}</b>`} · ${esc(t("heartbeat"))} ${ageMs(s.lastHeartbeatAgeMs)}${s.priceAgeMs ? ` · ${Object.entries(s.priceAgeMs).map(([i, a]) => `${esc(i)} ${ageMs(a)}`).join(", ")}` : ""}${s.reconnects ? ` · ↻${esc(s.reconnects)}` : ""}` : "—";
  const rep = c.replica;
  const led = c.ledger;
  return [
    line(t("pricing_stream"), c.pricingStream?.status, stream(c.pricingStream)),
    line(t("transaction_stream"), c.transactionStream?.status, stream(c.transactionStream)),
    line(t("account_state"), c.accountState?.status, `${esc(t("age"))} ${ageMs(c.accountState?.ageMs)}`),
    line(t("journal"), c.journal?.status, c.journal?.writable === false ? `<b class="bad">${esc(t("not_writable"))}</b> ${esc(c.journal?.lastError ?? "")}` : esc(t("writable"))),
    ...(led ? [line(t("ledger"), led.status, `${esc(t("late"))} ${num(led.lateFills)} · ${esc(t("unattributed"))} ${num(led.unattributedFills)} · ${esc(t("manual"))} ${num(led.manualFills)}${led.lastAlert ? ` · <span class="${led.lastAlert.kind === "manual" ? "" : "bad"}">${time(led.lastAlert.at)} ${esc(led.lastAlert.message)}</span>` : ""}`)] : []),
    ...(c.closeout ? [line(t("closeout"), c.closeout.status, `${esc(c.closeout.rule)} · ${c.closeout.distancePips == null ? "—" : `${num(c.closeout.distancePips, 1)} pips`} · ${pct(c.closeout.usage)}`)] : []),
    line(t("replica"), rep?.status, !rep ? "—" : rep.enabled ? `${num(rep.lagRows)} ${esc(t("lag_rows"))} · ${esc(t("last_push"))} ${time(rep.lastPushAt)}${rep.lastError ? ` · <span class="bad">${esc(rep.lastError)}</span>` : ""}` : esc(t("disabled"))),
  ].join("");
}

export function workersView(t: T, h: Json, canControl: boolean): string {
  const w = h?.checks?.workers ?? {};
  return WORKERS.map((name) => {
    const paused = (w.pausedWorkers ?? []).includes(name) || (w.allPaused && name !== "operator");
    const running = name === "operator" ? !paused : (w.running ?? []).includes(name);
    const state = paused ? pill("warn", t("paused")) : running ? pill("good", t("running")) : pill("muted", t("off"));
    const btn = !canControl ? "" : paused
      ? `<button class="btn small" data-action="resume" data-worker="${name}">${esc(t("resume"))}</button>`
      : running ? `<button class="btn small" data-action="pause" data-worker="${name}">${esc(t("pause"))}</button>` : "";
    return `<div class="wk"><span class="mono">${name}</span>${state}${btn}</div>`;
  }).join("");
}
