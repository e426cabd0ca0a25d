// English and Japanese for the dashboard: `?lang=ja|en`, else the browser's language. Two tables
// of the same keys on purpose (not repetition to fold): a translator edits one language as a
// whole, and `ja` is typed Record<Key, string>, so a key without its Japanese fails the typecheck.
const en = {
  title: "sekisho console",
  mode_paper: "PAPER", mode_practice: "PRACTICE", mode_live: "LIVE",
  mode_note_paper: "built-in simulator, no real money", mode_note_practice: "OANDA practice account", mode_note_live: "REAL MONEY",
  status: "Status", updated: "updated", stale: "not updating", connecting: "connecting…",
  nav: "NAV", balance: "Balance", unrealized: "Unrealized P/L", realized: "Realized P/L", margin_used: "Margin used", margin_available: "Margin available",
  margin: "Margin", margin_gauge: "Margin used / NAV", budget: "budget", hedge_trigger: "hedge", loss_cut: "loss-cut",
  pips_to_loss_cut: "pips to loss-cut", model: "Margin model", in_force: "in force", setting: "setting", evidence: "evidence", no_evidence: "no hedged snapshot seen yet",
  closeout_rule: "Closeout rule", rule_unknown: "not reported by this agent; the gauge assumes the stricter OANDA Japan rule (100% of NAV)",
  instruments: "Positions", instrument: "Instrument", long: "Long", short: "Short", net: "Net", price: "Bid / Ask", headroom_buy: "Room to buy", headroom_sell: "Room to sell", pockets: "Pockets",
  flatten: "Flatten", history: "NAV and margin over time", nav_chart: "NAV", usage_chart: "Margin used / NAV",
  trades: "Trades", open_trades: "Open", closed_trades: "Closed", not_available: "not available from this agent yet", none: "none",
  orders: "Orders", decisions: "Gate decisions", time: "Time", worker: "Worker", side: "Side", units: "Units", status_col: "Status", reason: "Reason", outcome: "Outcome", fill_price: "Fill", client_id: "Client id", pl: "P/L",
  health: "Health", pricing_stream: "Pricing stream", transaction_stream: "Transaction stream", account_state: "Account state", journal: "Journal", replica: "Replica",
  connected: "connected", disconnected: "DISCONNECTED", heartbeat: "heartbeat", age: "age", lag_rows: "rows behind", disabled: "disabled", last_push: "last push", writable: "writable", not_writable: "NOT WRITABLE",
  workers: "Workers", running: "running", paused: "PAUSED", off: "off", pause: "Pause", resume: "Resume",
  controls: "Controls", kill: "Kill switch", kill_flatten: "Kill + flatten all", resume_all: "Resume all (lifts kill switch)",
  kill_engaged: "KILL SWITCH ENGAGED", kill_flatten_engaged: "KILL SWITCH + FLATTEN", since: "since", by: "by",
  read_only: "Read-only", unlock: "Enter control token", lock: "Forget token", token_prompt: "Control token (CONTROL_TOKEN). Kept in this browser tab only, until it is closed.", token_label: "Token",
  ok: "OK", cancel: "Cancel", confirm: "Confirm", confirm_title: "Are you sure?",
  confirm_kill: "Engage the kill switch: no new entries from now on. Reduce-only orders still pass.",
  confirm_kill_flatten: "Engage the kill switch AND close every sekisho position (all pockets but manual) with reduce-only orders.",
  confirm_resume_all: "Resume every worker and lift the kill switch.",
  confirm_pause: "Pause {w}: its signals will be skipped.", confirm_resume: "Resume {w}.",
  confirm_flatten: "Close sekisho's {i} positions with reduce-only orders (manual trades are never touched).",
  done: "done", refused_token: "refused: the token is wrong (forgotten; enter it again)", refused_disabled: "refused: CONTROL_TOKEN is not set on the server", failed: "failed",
  need_token: "This agent needs the control token to be read (it is bound off loopback).",
  footer: "Served by the agent itself; every figure comes from its API. Charts: TradingView Lightweight Charts™.",
  lang_switch: "日本語",
  close_reason: "Closed by", today: "today", guard_engaged: "CLOSEOUT GUARD: entries stopped, reducing", loss_limit_engaged: "LOSS LIMIT ({s}): entries stopped",
  ledger: "Broker ledger", late: "late", unattributed: "unattributed", manual: "manual", closeout: "Loss-cut", rule_japan: "OANDA Japan: all positions closed at margin used = 100% of NAV",
  rule_half: "50% rule: closeout when NAV falls to half the margin used", guard: "guard", guard_off: "guard off", open_col: "Open", close_col: "Close", closed_col: "Closed",
};
export type Key = keyof typeof en;

const ja: Record<Key, string> = {
  title: "sekisho コンソール",
  mode_paper: "ペーパー", mode_practice: "デモ口座", mode_live: "本番",
  mode_note_paper: "内蔵シミュレーター・実資金なし", mode_note_practice: "OANDA デモ口座", mode_note_live: "実資金で取引中",
  status: "状態", updated: "更新", stale: "更新が止まっています", connecting: "接続中…",
  nav: "有効証拠金 (NAV)", balance: "口座残高", unrealized: "評価損益", realized: "実現損益", margin_used: "必要証拠金", margin_available: "余剰証拠金",
  margin: "証拠金", margin_gauge: "証拠金使用率 (必要証拠金 / NAV)", budget: "上限", hedge_trigger: "ヘッジ", loss_cut: "ロスカット",
  pips_to_loss_cut: "ロスカットまで (pips)", model: "証拠金モデル", in_force: "適用中", setting: "設定", evidence: "根拠", no_evidence: "両建てのスナップショットはまだありません",
  closeout_rule: "ロスカットルール", rule_unknown: "このエージェントは報告していません。ゲージは厳しい方の OANDA Japan ルール (NAV の 100%) で表示",
  instruments: "ポジション", instrument: "通貨ペア", long: "買い", short: "売り", net: "ネット", price: "Bid / Ask", headroom_buy: "買い余力", headroom_sell: "売り余力", pockets: "ポケット",
  flatten: "決済", history: "NAV と証拠金の推移", nav_chart: "NAV", usage_chart: "証拠金使用率",
  trades: "トレード", open_trades: "保有中", closed_trades: "決済済み", not_available: "このエージェントではまだ利用できません", none: "なし",
  orders: "注文", decisions: "ゲートの判定", time: "時刻", worker: "ワーカー", side: "売買", units: "数量", status_col: "状態", reason: "理由", outcome: "結果", fill_price: "約定価格", client_id: "クライアントID", pl: "損益",
  health: "稼働状況", pricing_stream: "価格ストリーム", transaction_stream: "取引ストリーム", account_state: "口座情報", journal: "ジャーナル", replica: "レプリカ",
  connected: "接続中", disconnected: "切断", heartbeat: "ハートビート", age: "経過", lag_rows: "未送信行", disabled: "無効", last_push: "最終送信", writable: "書き込み可", not_writable: "書き込み不可",
  workers: "ワーカー", running: "稼働中", paused: "一時停止", off: "無効", pause: "一時停止", resume: "再開",
  controls: "操作", kill: "キルスイッチ", kill_flatten: "キル + 全決済", resume_all: "すべて再開 (キルスイッチ解除)",
  kill_engaged: "キルスイッチ作動中", kill_flatten_engaged: "キルスイッチ + 全決済", since: "開始", by: "操作者",
  read_only: "閲覧のみ", unlock: "操作トークンを入力", lock: "トークンを消去", token_prompt: "操作トークン (CONTROL_TOKEN)。このタブを閉じるまでこのタブ内だけに保持します。", token_label: "トークン",
  ok: "OK", cancel: "キャンセル", confirm: "実行", confirm_title: "実行しますか？",
  confirm_kill: "キルスイッチを作動: 以降の新規エントリーを止めます。決済のみの注文は通ります。",
  confirm_kill_flatten: "キルスイッチを作動し、sekisho のポジション (manual 以外の全ポケット) を決済のみの注文ですべて決済します。",
  confirm_resume_all: "すべてのワーカーを再開し、キルスイッチを解除します。",
  confirm_pause: "{w} を一時停止: そのシグナルはスキップされます。", confirm_resume: "{w} を再開します。",
  confirm_flatten: "sekisho の {i} ポジションを決済のみの注文で決済します (手動トレードには触れません)。",
  done: "完了", refused_token: "拒否: トークンが違います (消去しました。もう一度入力してください)", refused_disabled: "拒否: サーバーに CONTROL_TOKEN が設定されていません", failed: "失敗",
  need_token: "このエージェントは閲覧にも操作トークンが必要です (ループバック以外で待ち受け中)。",
  footer: "エージェント自身が配信。数値はすべてその API から。チャート: TradingView Lightweight Charts™。",
  lang_switch: "English",
  close_reason: "決済理由", today: "本日", guard_engaged: "ロスカット回避ガード作動: 新規停止・ポジション縮小中", loss_limit_engaged: "損失上限 ({s}): 新規停止",
  ledger: "取引履歴", late: "遅延", unattributed: "帰属不明", manual: "手動", closeout: "ロスカット", rule_japan: "OANDA Japan: 必要証拠金が NAV の 100% で全決済",
  rule_half: "50% ルール: NAV が必要証拠金の半分で強制決済", guard: "ガード", guard_off: "ガード待機", open_col: "建値", close_col: "決済値", closed_col: "決済",
};

export type Lang = "en" | "ja";

export function chooseLang(search: string, browser: readonly string[]): Lang {
  const q = new URLSearchParams(search).get("lang");
  if (q === "ja" || q === "en") return q;
  return browser.some((l) => l.toLowerCase().startsWith("ja")) ? "ja" : "en";
}

export function translator(lang: Lang): (k: Key, vars?: Record<string, string>) => string {
  const dict = lang === "ja" ? ja : en;
  return (k, vars) => {
    let s = dict[k] ?? en[k];
    if (vars) for (const [n, v] of Object.entries(vars)) s = s.replace(`{${n}}`, v);
    return s;
  };
}
