import type { Command } from "commander";
import { redactedConfig, runModeOf } from "../../config/load.ts";
import { brokerEndpoints, describeEndpoints } from "../../config/endpoints.ts";
import { writeStderr, writeStdout } from "../../runtime/runtime.ts";
import { loadCliConfig } from "../config.ts";
import { entryStatusLines, entryWorkerStatus } from "../../evaluate/entry-status.ts";
import { closeoutRuleAssumption, marginModelAssumption } from "../../margin/assumptions.ts";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("validate the configuration and print it as JSON, secrets redacted, with the mode it would run in")
    .option("--live", "check as if started with --live")
    .action((opts: { live?: boolean }) => {
      const { config, notices } = loadCliConfig();
      const mode = runModeOf(config);
      const where = mode === "paper" ? undefined : brokerEndpoints(config);
      const out = {
        ok: true,
        mode,
        ordersGoTo: where ? describeEndpoints(where) : "the built-in simulator, in process on 127.0.0.1 (paper: no broker is contacted)",
        liveFlagRequired: mode === "live" && !opts.live,
        // Before the broker's figures are seen: the margin model and loss-cut rule sizing and the
        // closeout guard start from, and why.
        assumes: {
          marginModel: marginModelAssumption(config.MARGIN_MODEL),
          closeoutRule: closeoutRuleAssumption(config.CLOSEOUT_RULE),
          closeoutGuard: { belowPips: config.CLOSEOUT_GUARD_PIPS, atUsage: config.CLOSEOUT_GUARD_USAGE, untilPips: Math.max(config.CLOSEOUT_GUARD_TARGET_PIPS, config.CLOSEOUT_GUARD_PIPS) },
        },
        notices,
        // Entry workers that ship switched off, and why (the scorecard's out-of-sample results).
        entryWorkers: entryWorkerStatus(config),
        config: redactedConfig(config),
      };
      writeStdout(`${JSON.stringify(out, null, 2)}\n`);
      writeStderr(`orders go to ${out.ordersGoTo}${out.liveFlagRequired ? "; LIVE: `run` needs --live" : ""}\n`);
      for (const line of entryStatusLines(config)) writeStderr(`${line}\n`);
      writeStderr(`assumes ${out.assumes.marginModel.assume} margin and the ${out.assumes.closeoutRule.assume} loss-cut until the broker's figures say otherwise (see "assumes")\n`);
    });
}
