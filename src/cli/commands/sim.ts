// `sekisho sim`: serve the OANDA-compatible simulator until SIGINT/SIGTERM.
import type { Command } from "commander";
import { createLogger } from "../../core/log.ts";
import { readText, fileExists } from "../../runtime/files.ts";
import { onShutdownSignal, writeStdout } from "../../runtime/runtime.ts";
import { parseScenario, ScenarioError, startSimulator, type Scenario } from "../../sim/index.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE } from "../errors.ts";

interface SimOpts { port: string; host: string; scenario?: string }

export const DEFAULT_SIM_PORT = 8081;

/** Read and validate a scenario file; every problem is one line naming the file and the key. */
export function loadScenarioFile(path: string, speedDefault?: number): Scenario {
  if (!fileExists(path)) throw new CliError(`--scenario ${path}: file not found`, EXIT_USAGE);
  let raw: unknown;
  try {
    raw = JSON.parse(readText(path));
  } catch (e) {
    throw new CliError(`--scenario ${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, EXIT_USAGE);
  }
  return withSpeed(raw, path, speedDefault);
}

function withSpeed(raw: unknown, where: string, speedDefault?: number): Scenario {
  // SIM_SPEED applies unless the scenario sets ticks.speed itself.
  if (speedDefault !== undefined && raw && typeof raw === "object" && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    const ticks = (r.ticks && typeof r.ticks === "object" ? r.ticks : {}) as Record<string, unknown>;
    if (ticks.speed === undefined) raw = { ...r, ticks: { ...ticks, speed: speedDefault } };
  }
  try {
    return parseScenario(raw);
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliError(`${where}: ${e.message}`, EXIT_USAGE);
    throw e;
  }
}

export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("serve the OANDA v20-compatible simulator (REST and streams on one port) until Ctrl-C")
    .option("--port <port>", "port to listen on (0 picks a free one)", String(DEFAULT_SIM_PORT))
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--scenario <file>", "scenario JSON (default: SIM_SCENARIO, else the built-in JPY 500,000 USD_JPY account)")
    .action(async (o: SimOpts) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port ${JSON.stringify(o.port)}: expected 0..65535`, EXIT_USAGE);
      const { config } = loadCliConfig();
      const file = o.scenario ?? config.SIM_SCENARIO;
      const scenario = file ? loadScenarioFile(file, config.SIM_SPEED) : withSpeed({}, "scenario", config.SIM_SPEED);
      const log = createLogger(config.LOG_LEVEL);
      let sim;
      try {
        sim = await startSimulator({ scenario, host: o.host, port, log });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (e instanceof ScenarioError) throw new CliError(`${file ?? "scenario"}: ${msg}`, EXIT_USAGE);
        throw new CliError(`sim could not start: ${msg}`, EXIT_RUNTIME);
      }
      writeStdout(
        `sekisho sim: OANDA v20 simulator on ${sim.restUrl}\n` +
          `  OANDA_REST_URL=${sim.restUrl}\n  OANDA_STREAM_URL=${sim.streamUrl}\n` +
          `  OANDA_ACCOUNT_ID=${sim.accountId}\n  OANDA_TOKEN=${sim.token}\n` +
          `  ticks=${scenario.ticks.source} heartbeatMs=${scenario.heartbeatMs}; faults: ${sim.restUrl}/sim/faults; Ctrl-C stops\n`,
      );
      await new Promise<void>((resolve) => onShutdownSignal(() => resolve()));
      await sim.close();
    });
}
