// Where replica files live by default.
import { cacheDirectory } from "../runtime/files.ts";

/** REPLICA_PATH, or DB_PATH with its .db suffix replaced by .replica.db (./data/orders.replica.db). */
export function replicaPathFor(dbPath: string, replicaPath?: string): string {
  if (replicaPath) return replicaPath;
  return dbPath.endsWith(".db") ? `${dbPath.slice(0, -3)}.replica.db` : `${dbPath}.replica.db`;
}

/** The cache file `sekisho orders --remote` pulls into: one per database URL, under the user's cache directory. */
export function remoteCachePathFor(url: string): string {
  const u = new URL(url);
  const name = `${u.hostname}${u.port ? `_${u.port}` : ""}${u.pathname.replace(/\/+$/, "")}`.replace(/[^A-Za-z0-9._-]+/g, "_");
  return `${cacheDirectory("sekisho")}/replicas/${name}.db`;
}
