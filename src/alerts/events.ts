// The alert events other parts of the agent raise, as one typed union. Each event knows its
// severity, its de-duplication key and its text; the text is built only from the event's own
// fields, never from the configuration, so a secret can never reach a chat message.

export type AlertSeverity = "info" | "warning" | "critical";

export type AlertEvent =
  | { kind: "start"; mode: string; version: string; accountId?: string }
  | { kind: "stop"; mode: string; reason: string }
  | { kind: "fill"; instrument: string; side: "buy" | "sell"; units: number; price?: number | null; worker: string; pocket: string; clientId: string; reduceOnly?: boolean }
  | { kind: "kill_switch"; engaged: boolean; flatten: boolean; actor: string }
  | { kind: "pause"; worker: string; paused: boolean; actor: string }
  /** Another part (the loss-limit guard) stopped entries; `scope` says which limit, e.g. "daily". */
  | { kind: "loss_limit"; scope: string; loss: number; limit: number; currency?: string }
  /** The closeout guard acted: `action` e.g. "entries_blocked", "reduced"; `detail` in words. */
  | { kind: "closeout_guard"; action: string; usage?: number; detail?: string }
  /** A fill the journal attributed late (after the order was thought dead) or could not attribute at all. */
  | { kind: "late_fill" | "unattributed_fill"; transactionId: string; instrument?: string; units?: number; clientId?: string | null }
  /** The broker closed positions itself (margin closeout): the loss-cut was reached. */
  | { kind: "margin_closeout"; transactionId: string; instrument?: string; units?: number }
  | { kind: "stream_down"; stream: string; downSec: number; limitSec: number }
  | { kind: "stream_up"; stream: string; downSec: number }
  /** Margin usage (marginUsed / NAV) crossed a configured level, upwards or back down. */
  | { kind: "margin_usage"; level: number; usage: number; direction: "up" | "down" }
  | { kind: "replica_lag"; rows: number; limitRows: number; lastError?: string | null }
  | { kind: "replica_caught_up"; rows: number };

export type AlertKind = AlertEvent["kind"];

export const ALERT_KINDS: readonly AlertKind[] = [
  "start", "stop", "fill", "kill_switch", "pause", "loss_limit", "closeout_guard", "late_fill", "unattributed_fill", "margin_closeout",
  "stream_down", "stream_up", "margin_usage", "replica_lag", "replica_caught_up",
];

export function severityOf(e: AlertEvent): AlertSeverity {
  switch (e.kind) {
    case "loss_limit":
    case "closeout_guard":
    case "unattributed_fill":
    case "margin_closeout":
    case "stream_down":
      return "critical";
    case "kill_switch":
      return e.engaged ? "critical" : "warning";
    case "late_fill":
    case "replica_lag":
    case "pause":
      return "warning";
    case "margin_usage":
      return e.direction === "up" && e.level >= 0.8 ? "critical" : "warning";
    default:
      return "info";
  }
}

/**
 * Events with the same key within the de-duplication window are sent once. Fills are never
 * duplicates of each other (one client id, one fill); a level crossing is keyed by level and
 * direction, so flapping around one level is sent once per window.
 */
export function dedupKey(e: AlertEvent): string {
  switch (e.kind) {
    case "fill": return `fill:${e.clientId}`;
    case "kill_switch": return `kill:${e.engaged}:${e.flatten}`;
    case "pause": return `pause:${e.worker}:${e.paused}`;
    case "loss_limit": return `loss_limit:${e.scope}`;
    case "closeout_guard": return `closeout_guard:${e.action}`;
    case "late_fill":
    case "unattributed_fill":
    case "margin_closeout": return `${e.kind}:${e.transactionId}`;
    case "stream_down":
    case "stream_up": return `${e.kind}:${e.stream}`;
    case "margin_usage": return `margin:${e.level}:${e.direction}`;
    case "start":
    case "stop":
    case "replica_lag":
    case "replica_caught_up":
      return e.kind;
  }
}

const ICON: Record<AlertSeverity, string> = { info: "ℹ️", warning: "⚠️", critical: "🚨" };
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const units = (n: number) => Math.round(n).toLocaleString("en-US");
/** Free text from other parts is cut short and kept on one line. */
const clip = (s: string, n = 200) => scrub(s).replace(/\s+/g, " ").slice(0, n);

/**
 * Free text (an error message from a library) may quote a URL with credentials in it: keep only
 * scheme and host of every URL, and hide anything that looks like a bearer token.
 */
export function scrub(s: string): string {
  return s
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/@]*@)?([^\s/?#]+)[^\s]*/gi, "$1$2/…")
    .replace(/(bearer\s+)\S+/gi, "$1[redacted]")
    .replace(/\b(bot)\d+:[A-Za-z0-9_-]+/g, "$1[redacted]");
}

/** One line (two at most) a trader reads on a phone. */
export function alertText(e: AlertEvent, agentName = "sekisho"): string {
  const head = `${ICON[severityOf(e)]} ${agentName}`;
  switch (e.kind) {
    case "start": return `${head}: started in ${e.mode.toUpperCase()} mode (v${e.version})${e.accountId ? `, account ${e.accountId}` : ""}`;
    case "stop": return `${head}: stopping (${clip(e.reason, 80)}), ${e.mode.toUpperCase()} mode`;
    case "fill": return `${head}: FILLED ${e.side.toUpperCase()} ${units(e.units)} ${e.instrument}${e.price ? ` @ ${e.price}` : ""}${e.reduceOnly ? " (reduce-only)" : ""} — ${e.worker}/${e.pocket}, ${clip(e.clientId, 80)}`;
    case "kill_switch": return e.engaged
      ? `${head}: KILL SWITCH engaged${e.flatten ? " with FLATTEN" : ""} by ${clip(e.actor, 64)}: no new entries`
      : `${head}: kill switch lifted by ${clip(e.actor, 64)}: entries allowed again`;
    case "pause": return `${head}: ${e.worker === "all" ? "all workers" : e.worker} ${e.paused ? "PAUSED" : "resumed"} by ${clip(e.actor, 64)}`;
    case "loss_limit": return `${head}: LOSS LIMIT (${clip(e.scope, 40)}) reached: loss ${units(e.loss)} of ${units(e.limit)}${e.currency ? ` ${e.currency}` : ""}; entries stopped`;
    case "closeout_guard": return `${head}: CLOSEOUT GUARD ${clip(e.action, 60)}${e.usage !== undefined ? ` at margin usage ${pct(e.usage)}` : ""}${e.detail ? `: ${clip(e.detail)}` : ""}`;
    case "late_fill": return `${head}: LATE FILL transaction ${clip(e.transactionId, 40)}${e.instrument ? ` ${e.instrument}` : ""}${e.units !== undefined ? ` ${units(e.units)} units` : ""}${e.clientId ? ` (order ${clip(e.clientId, 80)})` : ""}: exposure changed after the order was settled`;
    case "unattributed_fill": return `${head}: UNATTRIBUTED FILL transaction ${clip(e.transactionId, 40)}${e.instrument ? ` ${e.instrument}` : ""}${e.units !== undefined ? ` ${units(e.units)} units` : ""}: no journal order matches it`;
    case "margin_closeout": return `${head}: MARGIN CLOSEOUT by the broker, transaction ${clip(e.transactionId, 40)}${e.instrument ? ` ${e.instrument}` : ""}${e.units !== undefined ? ` ${units(e.units)} units` : ""}: the loss-cut was reached`;
    case "stream_down": return `${head}: ${e.stream} stream DOWN for ${Math.round(e.downSec)} s (limit ${e.limitSec} s)`;
    case "stream_up": return `${head}: ${e.stream} stream back after ${Math.round(e.downSec)} s`;
    case "margin_usage": return e.direction === "up"
      ? `${head}: margin usage ${pct(e.usage)} crossed ${pct(e.level)} (marginUsed / NAV)`
      : `${head}: margin usage ${pct(e.usage)} back below ${pct(e.level)}`;
    case "replica_lag": return `${head}: replica ${units(e.rows)} rows behind (limit ${units(e.limitRows)})${e.lastError ? `: ${clip(e.lastError, 120)}` : ""}`;
    case "replica_caught_up": return `${head}: replica caught up (${units(e.rows)} rows behind)`;
  }
}
