// Opening the Turso Sync replica file (@tursodatabase/sync). Two ways:
// - the agent's writer opens it *deferred*: a local database that does not bootstrap from the
//   server, so start-up never waits on (or fails because of) Turso; pushes start when Turso answers.
// - a reader (`sekisho orders --remote`) opens it attached: bootstrap when the cache is empty,
//   then pull to catch up.
import type { Database } from "@tursodatabase/sync";
import { ensureParentDir } from "../runtime/files.ts";
import { loadTursoSync } from "../runtime/turso-sync.ts";

/** Network calls to Turso give up after this long, so a black-holed host cannot stall a push. */
const TURSO_REQUEST_TIMEOUT_MS = 20_000;

function timeoutFetch(ms: number): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const signals = [AbortSignal.timeout(ms), ...(init?.signal ? [init.signal] : [])];
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  }) as typeof fetch;
}

export interface ReplicaDbOptions {
  path: string;
  url: string;
  authToken?: string;
  clientName: string;
  requestTimeoutMs?: number;
}

/** A local replica that pushes to `url` but never needs the server to open. */
export async function openDeferredReplica(o: ReplicaDbOptions): Promise<Database> {
  ensureParentDir(o.path);
  const { Database } = await loadTursoSync();
  let live = false;
  const db = new Database({
    path: o.path,
    // null while connecting: the engine skips the bootstrap round-trip; afterwards sync is on.
    url: () => (live ? o.url : null),
    authToken: o.authToken,
    clientName: o.clientName,
    fetch: timeoutFetch(o.requestTimeoutMs ?? TURSO_REQUEST_TIMEOUT_MS),
  });
  await db.connect();
  live = true;
  return db;
}

/** A replica that bootstraps from the server if empty and can pull; needs the server. */
export async function openAttachedReplica(o: ReplicaDbOptions): Promise<Database> {
  ensureParentDir(o.path);
  const { Database } = await loadTursoSync();
  const db = new Database({
    path: o.path,
    url: o.url,
    authToken: o.authToken,
    clientName: o.clientName,
    fetch: timeoutFetch(o.requestTimeoutMs ?? TURSO_REQUEST_TIMEOUT_MS),
  });
  await db.connect();
  return db;
}

export type { Database as ReplicaDatabase };
