// `sekisho sim`: serve the OANDA-compatible simulator until SIGINT/SIGTERM.
import type { Command } from "commander";
import { openLogger } from "../../core/log.ts";
import { readJsonFile } from "../json-file.ts";
import { onShutdownSignal, writeStdout } from "../../runtime/runtime.ts";
import { parseScenario, ScenarioError, startSimulator, type Scenario } from "../../sim/index.ts";
import { loadCliConfig } from "../config.ts";
import { CliError, EXIT_RUNTIME, EXIT_USAGE } from "../errors.ts";
import { errorMessage } from "../../core/error-message.ts";

interface SimOpts { port: string; host: string; scenario?: string }

const DEFAULT_SIM_PORT = 8081;

/**
 * The scenario to simulate: a file (validated; every problem one line naming the file and the
 * key, exit 2) or the default account. SIM_SPEED applies unless the scenario sets ticks.speed.
 */
/** What `sekisho sim` and paper mode run without a scenario file. */
const BUILTIN_SCENARIO = { maintenance: false };

export function loadScenario(path: string | undefined, speedDefault: number | undefined, flag = "--scenario"): Scenario {
  // The built-in scenario's synthetic market trades around the clock (as paper mode's gate
  // ignores market hours), so it has no maintenance window; a scenario file has it by default.
  let raw = path === undefined ? BUILTIN_SCENARIO : readJsonFile(path, flag);
  if (speedDefault !== undefined && raw && typeof raw === "object" && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    const ticks = (r.ticks && typeof r.ticks === "object" ? r.ticks : {}) as Record<string, unknown>;
    if (ticks.speed === undefined) raw = { ...r, ticks: { ...ticks, speed: speedDefault } };
  }
  try {
    return parseScenario(raw);
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliError(`${flag} ${path ?? "(default scenario)"}: ${e.message}`, EXIT_USAGE);
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
      const scenario = loadScenario(file, config.SIM_SPEED);
      const log = await openLogger(config.LOG_LEVEL, config.LOG_FORMAT);
      let sim;
      try {
        sim = await startSimulator({ scenario, host: o.host, port, log });
      } catch (e) {
        const msg = errorMessage(e);
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
