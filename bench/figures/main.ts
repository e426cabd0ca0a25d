// `npm run bench`: the issue's table of speed figures, each measured from outside and printed
// with its ratio to the goal (>= 1 means met). Runs on Deno, like the agent.
//   --only=parse,latency,floor,replay,startup,suite   a subset (default: all but floor and suite);
//                   floor: what tick-to-order cannot go below here (bench/figures/latency-floor.ts)
//   --runs=N        repeats per figure (median reported; default 5, replay 1)
//   --agent=deno|binary   what runs the agent for latency and replay (default deno); start-up
//                   and RSS always measure the binary (dist/sekisho, from `npm run build`);
//                   --agent=floor: the latency rows run the floor program (floor-agent.ts)
//                   in the agent's place (the whole path with nothing but its unavoidable steps)
//   --json=FILE     also write every raw number
//   --rates=50,500  the latency row's tick rates (default 50,500,2000); --latency-ms=N its measured
//                   window per rate (default 15000)
//   --agent-root=DIR  run the agent (deno) from another checkout, to compare two builds under the
//                   same bench in the same minutes
//   --agent-env=K=V,K=V  settings for the latency rows' agent on top of the bench's own, e.g.
//                   --agent-env=GATE_REHEARSAL_EVERY_MS=2
// The machine is shared; read the spread of repeated runs before trusting one figure.
import { execFileSync, spawnSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AgentRuntime, BINARY, hasBinary, ROOT, setAgentRoot } from "./agent-process.ts";
import { parseFigure, recordedLines, syntheticPriceLines } from "./parse.ts";
import { latencyFigure } from "./latency.ts";
import { floorFigure } from "./latency-floor.ts";
import { replayInputs, replayOnce, type ReplayRun, warmRunSeconds, WORKERS_ON } from "./replay.ts";
import { type StartOnce, type StartupRun, startupOnce } from "./startup.ts";
import { median, type Row, table } from "./stats.ts";

const SHARED_DATA = join(ROOT, "..", "shared", "data");

function arg(name: string): string | undefined {
  const a = process.argv.slice(2).find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  return a === undefined ? undefined : a.includes("=") ? a.slice(a.indexOf("=") + 1) : "";
}

const only = new Set((arg("only") ?? "parse,latency,replay,startup").split(",").filter(Boolean));
const runs = Math.max(1, Number(arg("runs") ?? 5));
// "floor": the latency rows measure the floor program (floor-agent.ts) in the agent's place.
const latencyRuntime = (arg("agent") ?? "deno") as AgentRuntime | "floor";
const agentRuntime: AgentRuntime = latencyRuntime === "floor" ? "deno" : latencyRuntime;
// --agent-env=K=V,K=V: settings for the latency rows' agent beyond the bench's own (to compare them).
const agentEnv = Object.fromEntries((arg("agent-env") ?? "").split(",").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
if (arg("agent-root")) setAgentRoot(arg("agent-root")!);
const rows: Row[] = [];
const raw: Record<string, unknown> = {};
const log = (s: string) => process.stderr.write(`${s}\n`);
const fmtMs = (ms: number) => (ms === Number.POSITIVE_INFINITY ? "> the top bucket" : Number.isFinite(ms) ? (ms < 1 ? `${Math.round(ms * 1000)} µs` : `${ms} ms`) : String(ms));

const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}, deno ${process.versions.deno ?? "?"}`;
const loadStart = loadavg();
log(`machine: ${machine}, load average ${loadStart.map((x) => x.toFixed(1)).join(", ")}`);

if (only.has("parse")) {
  const inputs = [{ name: "PRICE lines (USD_JPY, compact, as OANDA sends)", lines: syntheticPriceLines(1000) }];
  const rec = recordedLines(SHARED_DATA);
  if (rec) inputs.push({ name: "recorded OANDA stream (27 PRICE : 22 HEARTBEAT)", lines: rec });
  for (const input of inputs) {
    log(`parse: ${input.name} ...`);
    const f = await parseFigure(input, 300_000, runs);
    raw[`parse ${input.name}`] = f;
    rows.push({ figure: `pricing-stream lines/s, ${input.name}`, goal: { value: 1_000_000, kind: "min", unit: "lines/s" }, measured: f.sekishoLinesPerSec, note: `PricingStream on Deno, median of ${runs} x ${f.lines.toLocaleString("en-US")} lines` });
    rows.push({ figure: `... vs @oanda/v20 on the same bytes`, goal: { value: 10, kind: "min", unit: "x" }, measured: f.sekishoLinesPerSec / f.v20LinesPerSec, note: `@oanda/v20 3.0.25-0: ${Math.round(f.v20LinesPerSec).toLocaleString("en-US")} lines/s (its missing Price class defined); on the same lines JSON.parse alone ${Math.round(f.jsonParseLinesPerSec).toLocaleString("en-US")} lines/s, TextDecoder alone ${Math.round(f.decodeLinesPerSec).toLocaleString("en-US")} lines/s` });
  }
}

if (only.has("latency")) {
  for (const rate of (arg("rates") ?? "50,500,2000").split(",").map(Number)) {
    log(`latency: ${rate} ticks/s ...`);
    const f = await latencyFigure(latencyRuntime, rate, 3_000, Number(arg("latency-ms") ?? 15_000), agentEnv);
    raw[`latency ${rate}`] = f;
    const how = latencyRuntime === "floor"
      ? `the floor program (bench/figures/floor-agent.ts: stream read, a line appended, the POST written; no agent), ${f.samples} orders, max ${(f.maxMs * 1000).toFixed(0)} µs; its CPU ${f.agentCpuPct.toFixed(0)}% of a core`
      : `agent on ${agentRuntime}, ${f.samples} orders${f.unmatched ? `, ${f.unmatched} unmatched` : ""}, max ${(f.maxMs * 1000).toFixed(0)} µs; the agent's own tick-to-submit p50/p99 <= ${fmtMs(f.agentP50Ms)}/${fmtMs(f.agentP99Ms)}; the agent's CPU ${f.agentCpuPct.toFixed(0)}% of a core${f.stop && !f.stop.graceful ? ", the agent ignored SIGTERM (killed)" : ""}`;
    const who = latencyRuntime === "floor" ? " (the floor program, no agent)" : "";
    rows.push({ figure: `PRICE written -> order POST received, p50, ${rate} ticks/s${who}`, goal: { value: 250, kind: "max", unit: "µs" }, measured: f.p50Ms * 1000, note: how });
    rows.push({ figure: `PRICE written -> order POST received, p99, ${rate} ticks/s${who}`, goal: { value: 250, kind: "max", unit: "µs" }, measured: f.p99Ms * 1000, note: how });
  }
}

if (only.has("floor")) {
  log("floor: loopback hops and the intent commit ...");
  const f = await floorFigure();
  raw["floor"] = f;
  const us = { value: 250, kind: "max" as const, unit: "µs" };
  const row = (figure: string, [p50, p90]: [number, number], note: string) => rows.push({ figure, goal: us, measured: p50, note: `p50; p90 ${p90} µs; ${note}` });
  row("floor: a stream line written -> read by the other process (fetch body reader)", f.streamHop, "Deno.serve streaming body to a fetch reader, one line every 20 ms");
  row("floor: the intent's line in the intent log alone (appendIntent, the default)", f.intentAppend, "one every 20 ms, as the orders come");
  row("floor: the intent's row committed instead (insertIntent, WAL, synchronous=NORMAL; JOURNAL_INTENT_LOG=0)", f.intentCommit, "one every 20 ms, as the orders come");
  row("floor: a POST written -> its handler, fetch", f.postFetch, "Deno fetch, keep-alive");
  row("floor: a POST written -> its handler, one write to an open socket", f.postSocket, "Deno.connect, what src/runtime/http1.ts does");
  rows.push({ figure: "floor: stream hop + intent line + POST hop (socket), p50s summed", goal: us, measured: f.streamHop[0] + f.intentAppend[0] + f.postSocket[0], note: `no parsing, no decision: what tick-to-order cannot go below on this machine (with the row committed instead: ${Math.round(f.streamHop[0] + f.intentCommit[0] + f.postSocket[0])} µs)` });
  rows.push({ figure: "floor: for comparison, a one-row INSERT into an in-memory table after a 20 ms sleep (back to back: see how)", goal: { ...us, kind: "none" }, measured: f.insertCold, note: `p50; back to back ${f.insertHot} µs (${Math.round(f.insertCold / f.insertHot)}x): how much colder any code runs here when it wakes, as the agent does for each tick` });
  // At 500 ticks/s the agent never sleeps more than 2 ms: the same parts with each process woken
  // that often are the floor under the 500 and 2,000 ticks/s rows (the above is 50 ticks/s's).
  log("floor: the same, one event every 2 ms ...");
  const f2 = await floorFigure(300, 2);
  raw["floor 2ms"] = f2;
  rows.push({
    figure: "floor at 500 ticks/s's wake-ups (every 2 ms): stream hop + intent line + POST hop (socket), p50s summed", goal: us, measured: f2.streamHop[0] + f2.intentAppend[0] + f2.postSocket[0],
    note: `stream hop ${f2.streamHop[0]} µs, intent line ${f2.intentAppend[0]} µs, POST by one socket write ${f2.postSocket[0]} µs; the in-memory INSERT after a 2 ms sleep ${f2.insertCold} µs (back to back ${f2.insertHot} µs)`,
  });
}

if (only.has("replay")) {
  const replayRuns = Number(arg("replay-runs") ?? 1);
  for (const input of replayInputs(SHARED_DATA)) {
    log(`replay: ${input.name} ...`);
    // Alternated, so both see the machine in the same minutes.
    const on = [];
    const off = [];
    const floor = [];
    for (let i = 0; i < replayRuns; i++) {
      on.push(await replayOnce(agentRuntime, input.args, WORKERS_ON));
      off.push(await replayOnce(agentRuntime, input.args));
      floor.push(await replayOnce(agentRuntime, input.floorArgs, WORKERS_ON));
    }
    const note = (r: ReplayRun[]) => `\`sekisho replay\` on ${agentRuntime}, ${r[0]!.ticks.toLocaleString("en-US")} ticks, ${r[0]!.fills.toLocaleString("en-US")} fills, median of ${replayRuns}, start-up included`;
    rows.push({ figure: `replay ticks/s, ${input.name}, entry workers on`, goal: { value: 200_000, kind: "min", unit: "ticks/s" }, measured: median(on.map((x) => x.ticksPerSec)), note: `${note(on)}; FAST_SCALP_ENABLED=1 MICRO_MULTISTRAT_ENABLED=1` });
    rows.push({ figure: `... the same with the shipped settings (entry workers off)`, goal: { value: 200_000, kind: "min", unit: "ticks/s" }, measured: median(off.map((x) => x.ticksPerSec)), note: `${note(off)}; only the hedge balancer runs: not the goal's figure` });
    const warm: number[] = [];
    for (let i = 0; i < replayRuns; i++) warm.push(await warmRunSeconds(agentRuntime, input.args, 3, WORKERS_ON));
    raw[`replay ${input.name}`] = { workersOn: on, defaults: off, firstMinute: floor, warmSeconds: warm };
    const warmS = median(warm);
    rows.push({ figure: "... the tick loop once warm (a run after the first in one process)", goal: { value: 200_000, kind: "min", unit: "ticks/s" }, measured: on[0]!.ticks / warmS, note: `${on[0]!.ticks.toLocaleString("en-US")} ticks / ${Math.round(warmS * 1000)} ms: (4 runs in one process - 1 run) / 3, median of ${replayRuns}; what a sweep's later runs and evaluate's parts get, not the goal's figure` });
    const floorS = median(floor.map((x) => x.seconds));
    rows.push({ figure: "... its floor: the ticks/s if the tick loop took no time", goal: { value: 200_000, kind: "min", unit: "ticks/s" }, measured: on[0]!.ticks / floorS, note: `${on[0]!.ticks.toLocaleString("en-US")} ticks / ${Math.round(floorS * 1000)} ms, the median spawn to exit of the same command replaying the file's first minute (${floor[0]!.ticks} ticks): start-up and reading the whole file` });
  }
}

if (only.has("startup")) {
  if (!hasBinary()) {
    log("startup: dist/sekisho missing (npm run build); measuring the Deno run instead");
  }
  const rt: AgentRuntime = hasBinary() ? "binary" : "deno";
  const what = rt === "binary" ? "binary" : "deno run";
  const settleMs = Number(arg("settle-ms") ?? 20_000);
  const r: StartupRun[] = [];
  for (let i = 0; i < runs; i++) {
    log(`startup: run ${i + 1}/${runs} ...`);
    r.push(await startupOnce(rt, settleMs));
  }
  raw.startup = r;
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;
  const cpu = (xs: StartOnce[]) => `CPU time at that moment ${median(xs.map((x) => x.cpuMs)).toFixed(0)} ms`;
  for (const [label, starts] of [["restart over its journal", r.map((x) => x.restart)], ["first start, new journal", r.map((x) => x.first)]] as const) {
    const wall = starts.map((x) => x.toHealthyMs);
    rows.push({ figure: `start to /health 200, ${what}, paper mode, ${label}`, goal: { value: 300, kind: "max", unit: "ms" }, measured: median(wall), note: `median of ${runs} (${spread(wall)} ms); ${cpu(starts)}` });
  }
  const cpuRestart = r.map((x) => x.restart.cpuMs);
  rows.push({ figure: `... its CPU time to /health 200 (restart): what the load cannot stretch`, goal: { value: 300, kind: "max", unit: "ms" }, measured: median(cpuRestart), note: `median of ${runs} (${spread(cpuRestart)} ms), user + system` });
  const traces = r.map((x) => x.restart.trace).filter((t): t is Record<string, number> => t !== undefined);
  if (traces.length) log(`startup: the agent's own trace (restart, median ms since the process began): ${Object.keys(traces[0]!).map((k) => `${k} ${median(traces.map((t) => t[k] ?? Number.NaN)).toFixed(0)}`).join(", ")}`);
  const rss = r.map((x) => x.settled.rssMb);
  const m = (k: "anonMb" | "fileMb") => median(r.map((x) => x.settled[k])).toFixed(0);
  rows.push({ figure: `RSS in paper mode after ${(settleMs / 1000).toFixed(0)} s, ${what}`, goal: { value: 80, kind: "max", unit: "MB" }, measured: median(rss), note: `median of ${runs} (${spread(rss)} MB); ${m("anonMb")} MB anonymous (heaps, JIT), ${m("fileMb")} MB file-backed (mapped code)` });
  const floor = rt === "binary" ? versionRssMb() : undefined;
  if (floor !== undefined) rows.push({ figure: "... for comparison: peak RSS of `sekisho version` (Bun and the command line: each command loads only its own modules)", goal: { value: 80, kind: "none", unit: "MB" }, measured: floor, note: "binary; /usr/bin/time's maximum resident size, median of 5" });
}

/** Peak resident memory of `dist/sekisho version`, MB, through /usr/bin/time (undefined without it). */
function versionRssMb(): number | undefined {
  if (!existsSync("/usr/bin/time")) return undefined;
  const kb = [];
  for (let i = 0; i < 5; i++) {
    const out = spawnSync("/usr/bin/time", ["-f", "%M", BINARY, "version"], { encoding: "utf8" });
    kb.push(Number(out.stderr.trim().split("\n").pop()));
  }
  return median(kb) / 1024;
}

if (only.has("suite")) {
  log("suite: npm test ...");
  const t0 = performance.now();
  execFileSync("npx", ["vitest", "run"], { cwd: ROOT, stdio: "ignore" });
  rows.push({ figure: "`npm test`", goal: { value: 90_000, kind: "max", unit: "ms" }, measured: performance.now() - t0, note: "one run" });
}

// The load average says how much of the two cores the figures had: read it before any time.
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(", ");
console.log(`\nmachine: ${machine}; load average ${load(loadStart)} at the start, ${load(loadavg())} at the end\n`);
console.log(table(rows));
const jsonFile = arg("json");
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ machine, rows, raw }, null, 2));
