// The Turso Sync engine (@tursodatabase/sync) is a native addon of about 88 MB. Most runs never
// replicate (no TURSO_DATABASE_URL), so it is loaded on first use, not at start: a process
// without a replica never maps it. The specifier is a static string, so Bun's compiler still
// embeds the package (and, through build/native-bindings.ts, its addon) in the binary.
type TursoSync = typeof import("@tursodatabase/sync");

let loading: Promise<TursoSync> | undefined;

export function loadTursoSync(): Promise<TursoSync> {
  loading ??= import("@tursodatabase/sync");
  return loading;
}
