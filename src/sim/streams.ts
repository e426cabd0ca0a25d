// The two v20 streams as chunked NDJSON: prices (at most one line per instrument per
// throttleMs, latest price wins, as OANDA publishes at most 4 a second) and transactions, each
// with HEARTBEAT lines. Faults act here: stall (send nothing, keep the connection), drop after
// N lines, garbage lines.
import type { Json, SimEngine } from "./engine.ts";
import type { FaultState } from "./faults.ts";
import { fmtTime } from "./format.ts";

export interface StreamDeps {
  engine: SimEngine;
  faults: FaultState;
  heartbeatMs: number;
  /** Minimum gap between two prices of one instrument on one stream (OANDA: 250 ms). */
  throttleMs: number;
  /** Open streams register a closer here so the server can end them on close(). */
  open: Set<() => void>;
}

type Emit = (line: Json) => void;

function ndjson(deps: StreamDeps, attach: (emit: Emit) => () => void, heartbeat: () => Json, signal?: AbortSignal): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let finish = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let lines = 0;
      let detach = () => {};
      let hb: ReturnType<typeof setInterval> | undefined;
      finish = () => {
        if (closed) return;
        closed = true;
        if (hb) clearInterval(hb);
        detach();
        deps.open.delete(finish);
        signal?.removeEventListener("abort", finish);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const emit: Emit = (obj) => {
        if (closed) return;
        const f = deps.faults.get();
        if (f.stallStream) return;
        let chunk = "";
        if (deps.faults.rollMalformed()) {
          chunk += `${deps.faults.garbage()}\n`;
          lines += 1;
        }
        chunk += `${JSON.stringify(obj)}\n`;
        lines += 1;
        controller.enqueue(enc.encode(chunk));
        if (f.dropStreamAfterLines > 0 && lines >= f.dropStreamAfterLines) finish();
      };
      deps.open.add(finish);
      signal?.addEventListener("abort", finish);
      detach = attach(emit);
      hb = setInterval(() => emit(heartbeat()), deps.heartbeatMs);
    },
    cancel() {
      finish();
    },
  });
}

/** `snapshot` false (OANDA's `snapshot=false`): no current prices at connect, only changes. */
export function pricingStream(deps: StreamDeps, instruments: string[], signal?: AbortSignal, snapshot = true): ReadableStream<Uint8Array> {
  const { engine } = deps;
  return ndjson(deps, (emit) => {
    const wanted = new Set(instruments);
    const state = new Map<string, { last: number; timer?: ReturnType<typeof setTimeout> }>();
    const send = (i: string) => {
      state.get(i)!.last = Date.now();
      emit(engine.clientPrice(i));
    };
    // OANDA starts a pricing stream with the current price of every instrument asked for.
    for (const i of instruments) {
      state.set(i, { last: 0 });
      if (snapshot) send(i);
    }
    const off = engine.onPrice((p) => {
      if (!wanted.has(p.instrument)) return;
      const st = state.get(p.instrument)!;
      if (st.timer) return; // a send is already scheduled; it will carry the latest price
      const wait = st.last + deps.throttleMs - Date.now();
      if (wait <= 0) send(p.instrument);
      else st.timer = setTimeout(() => {
        st.timer = undefined;
        send(p.instrument);
      }, wait);
    });
    return () => {
      off();
      for (const st of state.values()) if (st.timer) clearTimeout(st.timer);
    };
  }, () => ({ type: "HEARTBEAT", time: fmtTime(engine.clock.now()) }), signal);
}

export function transactionStream(deps: StreamDeps, signal?: AbortSignal): ReadableStream<Uint8Array> {
  const { engine } = deps;
  const heartbeat = () => ({ type: "HEARTBEAT", lastTransactionID: engine.lastTransactionID, time: fmtTime(engine.clock.now()) });
  return ndjson(
    deps,
    (emit) => {
      // A heartbeat at once tells a reconnecting client the last transaction id (assumption, see docs).
      emit(heartbeat());
      return engine.onTransaction((t) => emit(t));
    },
    heartbeat,
    signal,
  );
}
