import type { Command } from "commander";
import { Hono } from "hono";
import { runModeOf } from "../../config/load.ts";
import { createLogger } from "../../core/log.ts";
import { VERSION } from "../../core/version.ts";
import { onShutdownSignal, serveHttp, writeStdout } from "../../runtime/runtime.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_USAGE } from "../errors.ts";

interface RunOpts { paper?: boolean; practice?: boolean; live?: boolean; port?: string; host?: string }

export function registerRun(program: Command, isDefault: boolean): void {
  program
    .command("run", { isDefault })
    .description("run the agent (paper mode without credentials)")
    .option("--paper", "force paper mode (built-in simulator) even with credentials")
    .option("--practice", "trade the practice account given by OANDA_TOKEN/OANDA_ACCOUNT_ID")
    .option("--live", "allow a live account (also needs OANDA_ENV=live)")
    .option("--port <port>", "HTTP port (overrides HTTP_PORT)")
    .option("--host <host>", "HTTP host (overrides HTTP_HOST)")
    .action(async (o: RunOpts) => {
      const { config, notices } = loadCliConfig({ HTTP_PORT: o.port, HTTP_HOST: o.host });
      let mode = runModeOf(config);
      if (o.paper) mode = "paper";
      if (mode === "live" && !o.live) throw new CliError("OANDA_ENV=live needs the --live flag as well", EXIT_USAGE);
      if (o.live && mode !== "live") throw new CliError("--live needs OANDA_ENV=live and credentials", EXIT_USAGE);
      const log = createLogger(config.LOG_LEVEL);
      for (const n of notices) log.warn(n);
      const started = Date.now();
      const app = new Hono();
      app.get("/health", (c) => c.json({ status: "ok", version: VERSION, mode, uptimeSec: (Date.now() - started) / 1000 }));
      const server = await serveHttp(app.fetch, { hostname: config.HTTP_HOST, port: config.HTTP_PORT });
      writeStdout(`sekisho ${VERSION}: API on http://${server.hostname}:${server.port} (${mode === "paper" ? "PAPER trading" : mode})\n`);
      await new Promise<void>((resolve) => onShutdownSignal(() => resolve()));
      await server.close();
    });
}
