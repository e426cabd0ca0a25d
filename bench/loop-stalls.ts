// Event-loop stalls in a V8 CPU profile of the agent: every stretch of consecutive busy samples
// (not "(idle)") at least --min-ms long, with what ran in it, and a summary by what ran most.
// A price tick that arrives during such a stretch waits for its end: this is where the tick-to-
// order tail comes from when the machine itself is not the cause.
//
//   BENCH_AGENT_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval=100" \
//     npm run bench -- --only=latency --runs=1
//   deno run -A bench/loop-stalls.ts /tmp/prof/CPU.*.cpuprofile [--min-ms=1] [--from-s=4] [--list]
//
// A stretch's length is wall time between its first and last sample: on a loaded machine a
// thread that was descheduled mid-stretch looks busy for longer (few samples over a long span:
// the printed sample count tells). --from-s skips start-up (module loading, migrations).
import { readFileSync } from "node:fs";
import process from "node:process";

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  process.stderr.write("usage: loop-stalls.ts FILE.cpuprofile [--min-ms=1] [--from-s=4] [--list]\n");
  process.exit(2);
}
const minUs = opt("min-ms", 1) * 1000;
const fromUs = opt("from-s", 4) * 1e6;

const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let t = p.startTime;
const times = p.timeDeltas.map((d) => (t += d));

/** What a sample was doing, coarsely: the first sekisho frame's folder, or V8's own category. */
function category(id: number): string {
  const leaf = byId.get(id)!.callFrame.functionName;
  if (leaf === "(garbage collector)") return "GC";
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
    const { url, functionName } = byId.get(x)!.callFrame;
    const m = /\/src\/([^/]+)\/([^/]+)\.ts$/.exec(url);
    if (m) return `${m[1]}/${m[2]} ${functionName}`;
  }
  return leaf === "(program)" ? "(native, outside JS)" : "(runtime)";
}

const stretches: { start: number; end: number; ids: number[] }[] = [];
let cur: { start: number; end: number; ids: number[] } | undefined;
for (let i = 0; i < p.samples.length; i++) {
  const idle = byId.get(p.samples[i]!)!.callFrame.functionName === "(idle)";
  if (!idle) {
    cur ??= { start: times[i]!, end: times[i]!, ids: [] };
    cur.end = times[i]!;
    cur.ids.push(p.samples[i]!);
  } else if (cur) {
    stretches.push(cur);
    cur = undefined;
  }
}
if (cur) stretches.push(cur);

const long = stretches.filter((s) => s.start - p.startTime >= fromUs && s.end - s.start >= minUs);
const span = (times.at(-1)! - p.startTime - fromUs) / 1e6;
const out: string[] = [];
const byCause = new Map<string, { n: number; ms: number; max: number }>();
for (const s of long) {
  const counts = new Map<string, number>();
  for (const id of s.ids) counts.set(category(id), (counts.get(category(id)) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]);
  const ms = (s.end - s.start) / 1000;
  const cause = top[0]![0];
  const c = byCause.get(cause) ?? { n: 0, ms: 0, max: 0 };
  byCause.set(cause, { n: c.n + 1, ms: c.ms + ms, max: Math.max(c.max, ms) });
  if (args.includes("--list")) {
    out.push(`${((s.start - p.startTime) / 1000).toFixed(1)} ms: ${ms.toFixed(2)} ms, ${s.ids.length} samples: ${top.slice(0, 3).map(([k, v]) => `${k} x${v}`).join(" | ")}`);
  }
}
out.push(`${long.length} stalls >= ${minUs / 1000} ms in ${span.toFixed(1)} s (after the first ${fromUs / 1e6} s), by what ran most in each:`);
for (const [cause, c] of [...byCause].sort((a, b) => b[1].ms - a[1].ms)) {
  out.push(`  ${String(c.n).padStart(4)} x, ${c.ms.toFixed(1).padStart(7)} ms, max ${c.max.toFixed(2).padStart(6)} ms  ${cause}`);
}
process.stdout.write(`${out.join("\n")}\n`);
