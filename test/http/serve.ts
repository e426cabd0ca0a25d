// Start the real Hono app on a loopback port (0: the OS picks) with the test ApiDeps.
import { createApp, type AppOptions } from "../../src/http/app.ts";
import { serveHttp } from "../../src/runtime/runtime.ts";
import { fakeDeps, type FakeDeps, SECRETS } from "./fake-deps.ts";

export interface TestApi {
  base: string;
  deps: FakeDeps;
  /** Authorization header with the right token. */
  auth: Record<string, string>;
  close(): Promise<void>;
}

export async function startApi(opts: Partial<AppOptions> = {}, adjust?: (deps: FakeDeps) => void): Promise<TestApi> {
  const deps = await fakeDeps();
  adjust?.(deps);
  const app = createApp(deps, { controlToken: SECRETS.CONTROL_TOKEN, requireTokenEverywhere: false, bodyLimitBytes: 4096, ...opts });
  const server = await serveHttp(app.fetch, { hostname: "127.0.0.1", port: 0 });
  return {
    base: `http://127.0.0.1:${server.port}`,
    deps,
    auth: { Authorization: `Bearer ${SECRETS.CONTROL_TOKEN}` },
    async close() {
      await server.close();
      await deps.close();
    },
  };
}
