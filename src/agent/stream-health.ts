// /health for a broker stream, so a supervisor can trust it: a broker blip (a dropped connection,
// a stall being reconnected within its backoff) reads `degraded` (HTTP 200), never `down` (503),
// so a liveness probe does not restart the agent for it. `down` only once nothing at all has
// arrived for STREAM_DOWN_AFTER_SEC.

export interface StreamHealthInput {
  connected: boolean;
  lastMessageAt?: number;
}

export type StreamStatus = "ok" | "degraded" | "down";

/**
 * ok: connected and a line (data or heartbeat) within the heartbeat timeout; degraded: silent or
 * reconnecting for up to `downAfterMs`; down: silent longer. Silence counts from the last line,
 * else from `startedAt`: a connection is not a line. (Counted from the connection, a stream that
 * answered 200 and never wrote a line looked fresh at each reconnect, and /health said ok for
 * ever while no price came.)
 */
export function streamStatus(s: StreamHealthInput, now: number, o: { heartbeatTimeoutMs: number; downAfterMs: number; startedAt: number }): StreamStatus {
  const since = s.lastMessageAt ?? o.startedAt;
  const silentMs = Math.max(0, now - since);
  if (s.connected && silentMs <= o.heartbeatTimeoutMs) return "ok";
  return silentMs <= o.downAfterMs ? "degraded" : "down";
}
