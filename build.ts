// `npm run build` = `bun build.ts [--target <bun-target>] [--outfile <path>] [--verify]`.
// Compiles src/main.ts into one executable with Bun's compiler, embedding the native libSQL and
// Turso sync addons for the target (see build/native-bindings.ts for why a plugin is needed).
// Runs on Bun only (it uses Bun.build); everything else in the repo stays runtime-neutral.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";
import { leanModulesPlugin } from "./build/lean-modules.ts";
import { locateNativeFiles, nativeBindingsPlugin } from "./build/native-bindings.ts";
import { findTarget, hostTarget, TARGETS } from "./build/targets.ts";

const ROOT = dirname(new URL(import.meta.url).pathname);
const NODE_MODULES = join(ROOT, "node_modules");

interface Args { target: string; outfile?: string; verify: boolean; nativeModules: string; withoutSync: boolean }

function usage(msg?: string): never {
  if (msg) process.stderr.write(`build: ${msg}\n`);
  process.stderr.write(
    `usage: bun build.ts [--target <target>] [--outfile <path>] [--native-modules <dir>] [--without-sync] [--verify]\n` +
      `  targets: ${TARGETS.map((t) => t.bun).join(", ")} (default: this machine)\n` +
      `  --native-modules  a node_modules directory holding the target's @libsql/<platform> and\n` +
      `                    @tursodatabase/sync-<platform> packages (default: ./node_modules)\n` +
      `  --without-sync    embed a stub instead of the Turso sync addon (replication unavailable)\n` +
      `  --verify  run the built binary's \`doctor\` alone in an empty directory (this machine's target only)\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    target: hostTarget(process.platform, process.arch, hostIsMusl()),
    verify: false,
    nativeModules: NODE_MODULES,
    withoutSync: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === "--target") args.target = value();
    else if (flag === "--outfile") args.outfile = value();
    else if (flag === "--native-modules") args.nativeModules = resolve(value());
    else if (flag === "--without-sync") args.withoutSync = true;
    else if (flag === "--verify") args.verify = true;
    else if (flag === "--help" || flag === "-h") usage();
    else usage(`unknown argument ${a}`);
  }
  return args;
}

function hostIsMusl(): boolean {
  if (process.platform !== "linux") return false;
  try {
    return readFileSync("/usr/bin/ldd", "utf8").includes("musl");
  } catch {
    return false;
  }
}

// Minimal view of Bun.build, typed here so `tsc` (which has no Bun types) checks this file.
interface BunBuildOutput { success: boolean; logs: unknown[] }
interface BunApi {
  build(config: Record<string, unknown>): Promise<BunBuildOutput>;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const found = findTarget(args.target) ?? usage(`unsupported target ${args.target}`);
  const target = args.withoutSync ? { ...found, sync: null } : found;
  const host = hostTarget(process.platform, process.arch, hostIsMusl());
  const isHost = findTarget(host)?.bun === target.bun;
  let outfile = resolve(ROOT, args.outfile ?? (isHost ? "dist/sekisho" : `dist/sekisho-${target.bun.replace(/^bun-/, "")}`));
  if (target.exe !== "" && !outfile.endsWith(target.exe)) outfile += target.exe; // Bun would add it
  // Build beside the destination and rename into place: whoever runs or copies the binary at the
  // same time (the smoke tests, a second build) sees the old file or the new one, never half.
  const partial = join(dirname(outfile), `.${process.pid}.${basename(outfile)}`);

  const bun = (globalThis as { Bun?: BunApi }).Bun;
  if (!bun) usage("run me with Bun: `npm run build` (or `npx bun build.ts`)");

  let files;
  try {
    files = locateNativeFiles(args.nativeModules, target, NODE_MODULES);
  } catch (e) {
    process.stderr.write(`build: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (files.sync === null) {
    process.stderr.write(`build: note: no Turso sync addon for ${target.bun}${found.sync === null ? " (upstream ships none)" : " (--without-sync)"}; replication is unavailable in this binary\n`);
  }

  mkdirSync(dirname(outfile), { recursive: true });
  const result = await bun.build({
    entrypoints: [join(ROOT, "src/main.ts")],
    compile: { target: args.target, outfile: partial },
    // Bytecode compiled at build time and embedded: the binary does not parse the bundle at start
    // (CPU to /health about 270 -> 170 ms) and keeps less of it in memory (about 2 MB less
    // resident in paper mode; docs/build.md, "Start-up and memory"). ESM: the entry point awaits
    // at top level. Whitespace and syntax minified, names kept (error names, stack traces).
    format: "esm",
    bytecode: true,
    minify: { whitespace: true, syntax: true, identifiers: false },
    sourcemap: "none",
    plugins: [nativeBindingsPlugin(files, target.bun), leanModulesPlugin()],
  });
  if (!result.success) {
    rmSync(partial, { force: true });
    for (const log of result.logs) process.stderr.write(`${String(log)}\n`);
    process.stderr.write(`build: failed for ${target.bun}\n`);
    process.exit(1);
  }
  if (target.exe === "") chmodSync(partial, 0o755);
  renameSync(partial, outfile);
  process.stdout.write(`built ${outfile} (${target.bun}; libsql ${target.libsql}; sync ${target.sync ?? "none"})\n`);

  if (args.verify) {
    if (!isHost) usage(`--verify runs the binary, so it only works for this machine's target (${host})`);
    verify(outfile);
  }
}

/** Run `doctor` from an empty directory with an empty environment: proves the addons are inside. */
function verify(binary: string): void {
  const dir = mkdtempSync(join(tmpdir(), "sekisho-verify-"));
  try {
    const copy = join(dir, "sekisho");
    copyFileSync(binary, copy);
    chmodSync(copy, 0o755);
    const out = execFileSync(copy, ["doctor", "--dir", dir], { cwd: dir, env: { HOME: dir, PATH: "" }, encoding: "utf8" });
    process.stdout.write(`verify: ${out.trim()}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
