import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    benchmark: { include: ["bench/**/*.bench.ts"] },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most of the suite's wall time is waiting (loopback servers, child processes, real-time
    // lookup back-offs), so four workers overlap it on two cores (measured: 2 workers 254 s, 4
    // workers 129 s, 6 workers 124 s). Module isolation per file cost ~90 s of re-imports; the
    // tests share no module state (each file restores the env it changes and undoes its vi.stubEnv), so files in a
    // worker share their imports: 4 workers without isolation (six were slower; docs/build.md).
    maxWorkers: 4,
    isolate: false,
    reporters: ["default"],
  },
});
