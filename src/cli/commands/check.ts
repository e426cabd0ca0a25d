import type { Command } from "commander";
import { redactedConfig, runModeOf } from "../../config/load.ts";
import { writeStdout } from "../../runtime/runtime.ts";
import { loadCliConfig } from "../config.ts";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("validate the configuration and print it as JSON, secrets redacted, with the mode it would run in")
    .option("--live", "check as if started with --live")
    .action((opts: { live?: boolean }) => {
      const { config, notices } = loadCliConfig();
      const mode = runModeOf(config);
      const out = {
        ok: true,
        mode,
        liveFlagRequired: mode === "live" && !opts.live,
        notices,
        config: redactedConfig(config),
      };
      writeStdout(`${JSON.stringify(out, null, 2)}\n`);
    });
}
