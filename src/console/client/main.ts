// The operator's console, served by the agent at `/`. It polls the agent's own API (one request
// per endpoint per second at most, never two at once, slower while the tab is hidden), so an
// open page costs the agent a few cheap reads a second, and it renders what comes back.
import { getJson, postControl, setToken, token } from "./api.ts";
import { Charts } from "./charts.ts";
import { esc, time } from "./format.ts";
import { chooseLang, type Key, translator } from "./i18n.ts";
import { cards, closeoutRule, decisionsTable, gauge, healthView, type Json, ordersTable, positionsTable, tradesView, workersView } from "./view.ts";

const FAST_MS = 1000;
const SLOW_MS = 5000;
const HIDDEN_MS = 10_000;

const lang = chooseLang(location.search, navigator.languages ?? [navigator.language]);
const t = translator(lang);
document.documentElement.lang = lang;

const state: { health?: Json; positions?: Json; orders: Json[]; decisions: Json[]; trades?: Json; tradesAvailable: boolean; pnl?: Json; config?: Json; lastOk?: number; needToken: boolean } = {
  orders: [], decisions: [], tradesAvailable: false, needToken: false,
};

const $ = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E;

function skeleton(): void {
  const otherLang = lang === "ja" ? "en" : "ja";
  const section = (id: string, title: Key, extra = "") => `<section class="panel" id="sec-${id}"><h2>${esc(t(title))}${extra}</h2><div id="${id}" class="scroll"></div></section>`;
  $("app").innerHTML = `
  <header id="top">
    <div id="mode" class="mode">—</div>
    <div class="acct"><div class="brand">関所 sekisho</div><div id="acct" class="mono"></div></div>
    <div id="status"></div>
    <div id="killbanner"></div>
    <div class="spacer"></div>
    <div id="updated" class="updated">${esc(t("connecting"))}</div>
    <button id="tokenbtn" class="btn"></button>
    <a class="btn ghost" id="langlink" href="?lang=${otherLang}">${esc(t("lang_switch"))}</a>
  </header>
  <div id="notice" class="notice" hidden></div>
  <main>
    <div class="col-main">
      <section class="cards" id="cards"></section>
      <section class="panel" id="sec-margin"><div id="margin"></div></section>
      ${section("positions", "instruments")}
      <section class="panel"><h2>${esc(t("history"))}</h2><div class="charts">
        <div class="chartbox"><div class="ct">${esc(t("nav_chart"))}</div><div id="chart-nav" class="chart"></div></div>
        <div class="chartbox"><div class="ct">${esc(t("usage_chart"))}</div><div id="chart-usage" class="chart"></div></div></div></section>
      ${section("trades", "trades")}
      <div class="two">${section("orders", "orders")}${section("decisions", "decisions")}</div>
    </div>
    <aside class="col-side">
      <section class="panel" id="sec-controls"><h2>${esc(t("controls"))}</h2>
        <div class="ctl"><button class="btn danger" data-action="kill">${esc(t("kill"))}</button>
        <button class="btn danger strong" data-action="kill_flatten">${esc(t("kill_flatten"))}</button>
        <button class="btn" data-action="resume_all">${esc(t("resume_all"))}</button></div>
        <div id="ctlmsg" class="ctlmsg" role="status"></div></section>
      ${section("workers", "workers")}
      ${section("health", "health")}
    </aside>
  </main>
  <footer>${esc(t("footer"))} <span id="version"></span></footer>
  <dialog id="dlg-token"><form method="dialog"><p>${esc(t("token_prompt"))}</p>
    <label>${esc(t("token_label"))} <input id="token-input" type="password" autocomplete="off" spellcheck="false"></label>
    <menu><button value="cancel" class="btn ghost">${esc(t("cancel"))}</button><button value="ok" id="token-ok" class="btn">${esc(t("ok"))}</button></menu></form></dialog>
  <dialog id="dlg-confirm"><form method="dialog"><h3>${esc(t("confirm_title"))}</h3><p id="confirm-text"></p>
    <menu><button value="cancel" class="btn ghost">${esc(t("cancel"))}</button><button value="ok" id="confirm-ok" class="btn danger">${esc(t("confirm"))}</button></menu></form></dialog>`;
  document.title = t("title");
}

let charts: Charts | undefined;

function renderTokenButton(): void {
  const b = $("tokenbtn");
  const has = Boolean(token());
  b.textContent = has ? t("lock") : `${t("read_only")} · ${t("unlock")}`;
  b.classList.toggle("on", has);
  document.body.classList.toggle("can-control", has);
}

function render(): void {
  const h = state.health, p = state.positions;
  const mode = (h?.mode ?? "") as string;
  const m = $("mode");
  m.className = `mode mode-${mode || "unknown"}`;
  m.innerHTML = mode ? `<b>${esc(t(`mode_${mode}` as Key))}</b><small>${esc(t(`mode_note_${mode}` as Key))}</small>` : "—";
  document.body.dataset.mode = mode;
  document.title = mode ? `[${t(`mode_${mode}` as Key)}] ${t("title")}` : t("title");
  $("acct").textContent = p?.account ? `${p.account.id} · ${p.account.currency}` : "";
  $("status").innerHTML = h ? `<span class="pill big ${h.status === "ok" ? "good" : h.status === "degraded" ? "warn" : "bad"}">${esc(t("status"))}: ${esc(h.status)}</span>` : "";
  const k = h?.checks?.killSwitch;
  const guard = h?.checks?.closeout?.guard;
  const loss = h?.checks?.lossLimit;
  $("killbanner").innerHTML = [
    k?.engaged ? `<span class="kill">${esc(t(k.flatten ? "kill_flatten_engaged" : "kill_engaged"))} <small>${esc(t("since"))} ${time(k.since)} ${esc(t("by"))} ${esc(k.by ?? "")}</small></span>` : "",
    guard?.engaged ? `<span class="kill">${esc(t("guard_engaged"))} <small>${esc(t("since"))} ${time(guard.since)}</small></span>` : "",
    loss?.engaged ? `<span class="kill">${esc(t("loss_limit_engaged", { s: String(loss.scope ?? "") }))} <small>${esc(t("since"))} ${time(loss.since)}</small></span>` : "",
  ].join(" ");
  $("version").textContent = h ? `v${h.version}` : "";
  const can = Boolean(token());
  if (p) {
    $("cards").innerHTML = cards(t, p, state.pnl);
    const g = gauge(t, p, h, state.config);
    $("margin").innerHTML = g.html;
    // Widths and positions set through the CSSOM: the page's CSP allows no inline style attributes.
    $("margin").querySelector<HTMLElement>(".gauge-fill")!.style.width = `${g.fill}%`;
    $("margin").querySelectorAll<HTMLElement>(".mark").forEach((el) => { el.style.left = `${el.dataset.x}%`; });
    $("positions").innerHTML = positionsTable(t, p, can);
    if (charts && p.account) {
      const at = Date.parse(p.asOf) || Date.now();
      charts.nav.live(at, p.account.nav);
      charts.usage.live(at, p.account.margin_usage_ratio);
      const rule = closeoutRule(p, h);
      const lines = [{ value: rule.ratio, title: t("loss_cut"), color: "#ef4444" }];
      if (p.account.nav > 0) lines.push({ value: p.account.marginBudget / p.account.nav, title: t("budget"), color: "#a3a3a3" });
      if (typeof state.config?.HEDGE_TRIGGER_MARGIN_USAGE === "number") lines.push({ value: state.config.HEDGE_TRIGGER_MARGIN_USAGE, title: t("hedge_trigger"), color: "#f59e0b" });
      charts.levels(lines);
    }
  }
  $("trades").innerHTML = tradesView(t, state.trades, state.tradesAvailable);
  $("orders").innerHTML = ordersTable(t, state.orders);
  $("decisions").innerHTML = decisionsTable(t, state.decisions);
  if (h) {
    $("health").innerHTML = healthView(t, h);
    $("workers").innerHTML = workersView(t, h, can);
  }
  const notice = $("notice");
  notice.hidden = !state.needToken;
  notice.textContent = state.needToken ? t("need_token") : "";
}

function renderUpdated(): void {
  const el = $("updated");
  if (!state.lastOk) return;
  const age = Date.now() - state.lastOk;
  el.textContent = `${t("updated")} ${new Date(state.lastOk).toLocaleTimeString("en-GB", { hour12: false })}`;
  el.classList.toggle("stale", age > 5000);
  if (age > 5000) el.textContent += ` · ${t("stale")}`;
}

async function pollFast(): Promise<void> {
  const [h, p, o, d] = await Promise.all([
    getJson<Json>("/health"), getJson<Json>("/positions"), getJson<Json>("/orders?limit=25"), getJson<Json>("/signals?limit=25"),
  ]);
  state.needToken = [h, p, o, d].some((r) => !r.ok && r.status === 401);
  if (h.ok) state.health = h.body;
  if (p.ok) state.positions = p.body;
  if (o.ok) state.orders = o.body.orders ?? [];
  if (d.ok) state.decisions = d.body.decisions ?? [];
  if (h.ok || p.ok) state.lastOk = Date.now();
}

let historyLoaded = false;
/** Endpoints this agent serves, from its OpenAPI document: newer ones are asked for only if there. */
let paths: Set<string> | undefined;
async function pollSlow(): Promise<void> {
  if (!paths) {
    const doc = await getJson<Json>("/openapi.json");
    if (doc.ok) paths = new Set(Object.keys(doc.body.paths ?? {}));
  }
  const has = (p: string) => paths?.has(p) ?? false;
  const none = Promise.resolve(undefined);
  const [tr, pnl, cfg] = await Promise.all([
    has("/trades") ? getJson<Json>("/trades?limit=100") : none, has("/pnl") ? getJson<Json>("/pnl?by=day") : none, state.config ? none : getJson<Json>("/config"),
  ]);
  state.tradesAvailable = Boolean(tr?.ok);
  if (tr?.ok) state.trades = tr.body;
  state.pnl = pnl?.ok ? pnl.body : undefined;
  if (cfg?.ok) state.config = cfg.body;
  if (!historyLoaded && charts) {
    const since = Date.now() - 86_400_000;
    const hist = await getJson<Json>(`/history?series=nav,margin_usage_ratio&since=${since}&max=1500`);
    if (hist.ok) {
      historyLoaded = true;
      charts.nav.setHistory(hist.body.series.nav ?? []);
      charts.usage.setHistory(hist.body.series.margin_usage_ratio ?? []);
    }
  }
}

function loop(fn: () => Promise<void>, everyMs: number): void {
  const run = async () => {
    const started = Date.now();
    try {
      await fn();
      render();
    } catch (e) {
      console.warn("poll failed", e);
    }
    renderUpdated();
    const wait = document.hidden ? HIDDEN_MS : Math.max(50, everyMs - (Date.now() - started));
    setTimeout(run, wait);
  };
  void run();
}

// --- controls ---------------------------------------------------------------------------------

function askToken(): Promise<boolean> {
  const dlg = $<HTMLDialogElement>("dlg-token");
  const input = $<HTMLInputElement>("token-input");
  input.value = "";
  dlg.showModal();
  return new Promise((resolve) => {
    dlg.addEventListener("close", () => {
      const v = input.value.trim();
      input.value = "";
      if (dlg.returnValue === "ok" && v) {
        setToken(v);
        resolve(true);
      } else resolve(false);
      renderTokenButton();
      render();
    }, { once: true });
  });
}

function confirmAction(text: string): Promise<boolean> {
  const dlg = $<HTMLDialogElement>("dlg-confirm");
  $("confirm-text").textContent = text;
  dlg.returnValue = "";
  dlg.showModal();
  return new Promise((resolve) => dlg.addEventListener("close", () => resolve(dlg.returnValue === "ok"), { once: true }));
}

function message(text: string, bad = false): void {
  const el = $("ctlmsg");
  el.textContent = `${new Date().toLocaleTimeString("en-GB", { hour12: false })} ${text}`;
  el.classList.toggle("bad", bad);
}

async function control(action: string, el: HTMLElement): Promise<void> {
  if (!token() && !(await askToken())) return;
  const w = el.dataset.worker ?? "";
  const i = el.dataset.instrument ?? "";
  const plan: Record<string, [string, string]> = {
    kill: [t("confirm_kill"), "/control/kill"],
    kill_flatten: [t("confirm_kill_flatten"), "/control/kill?flatten=1"],
    resume_all: [t("confirm_resume_all"), "/control/resume"],
    pause: [t("confirm_pause", { w }), `/control/pause?worker=${encodeURIComponent(w)}`],
    resume: [t("confirm_resume", { w }), `/control/resume?worker=${encodeURIComponent(w)}`],
    flatten: [t("confirm_flatten", { i }), `/control/flatten?instrument=${encodeURIComponent(i)}`],
  };
  const p = plan[action];
  if (!p || !(await confirmAction(p[0]))) return;
  const r = await postControl(p[1]);
  if (r.ok) message(`${[action, w || i].filter(Boolean).join(" ")}: ${t("done")}`);
  else if (r.status === 401) {
    setToken(null);
    renderTokenButton();
    message(t("refused_token"), true);
  } else if (r.status === 403) message(t("refused_disabled"), true);
  else message(`${action}: ${t("failed")} (${r.status}) ${JSON.stringify((r.body as Json)?.error?.message ?? "")}`, true);
  await pollFast();
  render();
}

function boot(): void {
  skeleton();
  renderTokenButton();
  try {
    charts = new Charts($("chart-nav"), $("chart-usage"));
  } catch (e) {
    console.warn("charts unavailable", e);
  }
  document.addEventListener("click", (ev) => {
    const el = (ev.target as HTMLElement).closest<HTMLElement>("[data-action]");
    if (el) void control(el.dataset.action!, el);
  });
  $("tokenbtn").addEventListener("click", async () => {
    if (token()) {
      setToken(null);
      renderTokenButton();
      render();
    } else await askToken();
  });
  loop(pollFast, FAST_MS);
  loop(pollSlow, SLOW_MS);
  setInterval(renderUpdated, 1000);
}

boot();
