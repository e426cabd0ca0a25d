// Which native files each Bun compile target needs. The libSQL driver (npm `libsql`, used by
// @libsql/client) ships one package per platform (`@libsql/<platform>`, file `index.node`);
// @tursodatabase/sync ships `@tursodatabase/sync-<platform>` with `sync.<platform>.node`.
// Upstream has no sync binding for darwin-x64, linux musl or windows-arm64: those builds get a
// stub that fails with a clear message when a sync database is opened (see native-bindings.ts).

export interface NativeTarget {
  /** Bun's --target name. */
  bun: string;
  /** Suffix of the @libsql/<suffix> package. */
  libsql: string;
  /** Suffix of the @tursodatabase/sync-<suffix> package, or null when upstream ships none. */
  sync: string | null;
  /** Output file name suffix (Windows needs .exe). */
  exe: string;
}

export const TARGETS: readonly NativeTarget[] = [
  { bun: "bun-linux-x64", libsql: "linux-x64-gnu", sync: "linux-x64-gnu", exe: "" },
  { bun: "bun-linux-arm64", libsql: "linux-arm64-gnu", sync: "linux-arm64-gnu", exe: "" },
  { bun: "bun-linux-x64-musl", libsql: "linux-x64-musl", sync: null, exe: "" },
  { bun: "bun-linux-arm64-musl", libsql: "linux-arm64-musl", sync: null, exe: "" },
  { bun: "bun-darwin-arm64", libsql: "darwin-arm64", sync: "darwin-arm64", exe: "" },
  { bun: "bun-darwin-x64", libsql: "darwin-x64", sync: null, exe: "" },
  { bun: "bun-windows-x64", libsql: "win32-x64-msvc", sync: "win32-x64-msvc", exe: ".exe" },
];

/** The target of the machine running the build (Bun's naming). */
export function hostTarget(platform: string, arch: string, isMusl: boolean): string {
  const os = platform === "win32" ? "windows" : platform;
  return `bun-${os}-${arch}${isMusl ? "-musl" : ""}`;
}

export function findTarget(name: string): NativeTarget | undefined {
  // Bun also accepts -baseline / -modern CPU variants; the native packages are the same.
  const base = name.replace(/-(baseline|modern)(?=$|-)/, "");
  return TARGETS.find((t) => t.bun === base);
}
