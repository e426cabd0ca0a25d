import type { Command } from "commander";
import { runModeOf } from "../../config/load.ts";
import { openLogger } from "../../core/log.ts";
import type { RunMode } from "../../core/types.ts";
import { VERSION } from "../../core/version.ts";
import { type FetchHandler, onShutdownSignal, serveHttp, writeStdout } from "../../runtime/runtime.ts";
import { startupMark, startupSteps } from "../../runtime/startup-trace.ts";
import { releaseStartupMemory } from "../../runtime/memory.ts";
import { loadScenario } from "./sim.ts";
import { startAgent } from "../../agent/agent.ts";
import { createApiDeps } from "../../agent/api.ts";
import { createApp } from "../../http/app.ts";
import { bindingPolicy } from "../../http/binding.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE } from "../errors.ts";
import { errorMessage } from "../../core/error-message.ts";

/** How long after the API opens start-up's memory is let go. */
const RELEASE_AFTER_START_MS = 2_000;

interface RunOpts { paper?: boolean; practice?: boolean; live?: boolean; port?: string; host?: string; simScenario?: string; speed?: string }

export function registerRun(program: Command, isDefault: boolean): void {
  program
    .command("run", { isDefault })
    .description("run the agent: paper trading on the built-in simulator without credentials, OANDA with them")
    .option("--paper", "force paper mode (built-in simulator) even with credentials")
    .option("--practice", "trade the practice account given by OANDA_TOKEN/OANDA_ACCOUNT_ID")
    .option("--live", "allow a live account (also needs OANDA_ENV=live)")
    .option("--port <port>", "HTTP port (overrides HTTP_PORT)")
    .option("--host <host>", "HTTP host (overrides HTTP_HOST)")
    .option("--sim-scenario <file>", "paper mode on this simulator scenario (JSON; see `sekisho sim --help`)")
    .option("--speed <factor>", "paper mode: speed of the simulated price feed (overrides SIM_SPEED; the workers keep wall-clock time)")
    .action(async (o: RunOpts) => {
      const { config, notices } = loadCliConfig({ HTTP_PORT: o.port, HTTP_HOST: o.host, SIM_SPEED: o.speed, SIM_SCENARIO: o.simScenario });
      const mode = resolveMode(runModeOf(config), o);
      const binding = bindingPolicy(config.HTTP_HOST, config.CONTROL_TOKEN);
      if (!binding.ok) throw new CliError(binding.message, EXIT_USAGE);
      const scenario = mode === "paper" ? loadScenario(config.SIM_SCENARIO, config.SIM_SPEED, "--sim-scenario") : undefined;
      const log = await openLogger(config.LOG_LEVEL, config.LOG_FORMAT);
      startupMark("config_loaded");
      for (const n of notices) log.warn(n);

      // The port before the broker: bind first, so a port already taken exits 1 before any
      // stream, worker or order starts. Until the agent is up, every request answers 503 starting.
      let handler: FetchHandler = startingHandler;
      let server;
      try {
        server = await serveHttp((req) => handler(req), { hostname: config.HTTP_HOST, port: config.HTTP_PORT });
      } catch (e) {
        throw new CliError(`could not listen on ${config.HTTP_HOST}:${config.HTTP_PORT}: ${(e as Error).message} (nothing was started; the broker was not contacted)`, EXIT_RUNTIME);
      }

      startupMark("http_listening");
      let agent;
      try {
        agent = await startAgent({ config, mode, log, simScenario: scenario });
        startupMark("agent_started");
      } catch (e) {
        await server.close();
        if (e instanceof CliError) throw e;
        const msg = errorMessage(e);
        // Rejected credentials are a configuration problem: exit 2, so a supervisor does not retry.
        const status = (e as { status?: number }).status;
        if (status === 401 || status === 403) {
          throw new CliError(`OANDA_TOKEN/OANDA_ACCOUNT_ID rejected by the broker (HTTP ${status}): check the token and account id`, EXIT_USAGE);
        }
        throw new CliError(`could not start: ${msg}`, EXIT_RUNTIME);
      }
      const app = createApp(createApiDeps(agent), {
        controlToken: config.CONTROL_TOKEN, requireTokenEverywhere: binding.requireTokenEverywhere, bodyLimitBytes: config.HTTP_BODY_LIMIT_BYTES,
        onUnexpectedError: (err, method, path) => log.error({ event: "http_error", method, path, err: String(err) }),
      });
      handler = app.fetch;
      startupMark("api_ready");
      const steps = startupSteps();
      log.info({ event: "startup", steps }, `API ready ${Math.round(steps.api_ready ?? 0)} ms after the process began`);
      // Not at once: dropping start-up's code pages (and Bun.shrink's compiled code) just as the
      // API opens made the first requests fault them back in, and a supervisor's first health
      // probe waited on that (~10-30 ms on a machine with costly page faults). Resident memory
      // in the steady state is the same.
      const release = setTimeout(() => void releaseStartupMemory().then((r) => r && log.debug({ event: "startup_memory_released", ...r }, `dropped ${r.residentMb} MB of start-up's mapped code`)), RELEASE_AFTER_START_MS);
      const what = mode === "paper" ? "PAPER trading on the built-in simulator" : mode === "live" ? "LIVE trading" : "practice account";
      writeStdout(`sekisho ${VERSION}: API on http://${server.hostname}:${server.port} (${what})\n`);
      const signal = await new Promise<string>((resolve) => onShutdownSignal(resolve));
      clearTimeout(release); // stopping within the first seconds: nothing to release for
      log.info({ event: "shutdown", signal }, "stopping: closing streams, flushing the journal, pushing the replica");
      await server.close();
      await agent.stop();
    });
}

/** What the API answers while the agent is still starting (reading the account, reconciling). */
function startingHandler(): Response {
  return new Response(JSON.stringify({ status: "starting", error: { code: "starting", message: "the agent is starting; try again shortly" } }), {
    status: 503, headers: { "content-type": "application/json", "retry-after": "1" },
  });
}

function resolveMode(configured: RunMode, o: RunOpts): RunMode {
  const chosen = [o.paper && "--paper", o.practice && "--practice", o.live && "--live"].filter(Boolean);
  if (chosen.length > 1) throw new CliError(`${chosen.join(" and ")} cannot be used together: choose one mode`, EXIT_USAGE);
  if (o.paper) return "paper";
  if (configured === "live" && !o.live) throw new CliError("OANDA_ENV=live needs the --live flag as well", EXIT_USAGE);
  if (o.live && configured !== "live") throw new CliError("--live needs OANDA_ENV=live and OANDA_TOKEN/OANDA_ACCOUNT_ID", EXIT_USAGE);
  if (o.practice && configured === "paper") throw new CliError("--practice needs OANDA_TOKEN and OANDA_ACCOUNT_ID", EXIT_USAGE);
  return configured;
}
