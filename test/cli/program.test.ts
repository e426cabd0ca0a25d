// The command tree loads only the command a user runs (each command's modules are imported when
// it runs), yet help still lists every command with its options and arguments.
import { describe, expect, it } from "vitest";
import { buildProgram, COMMAND_NAMES, commandsFor } from "../../src/cli/program.ts";
import { cli } from "./in-process.ts";

describe("which commands a command line loads", () => {
  it("only the command it names", () => {
    for (const name of COMMAND_NAMES) expect(commandsFor([name, "--json"])).toEqual([name]);
  });

  it("run when it names none (the default command), with or without options", () => {
    expect(commandsFor([])).toEqual(["run"]);
    expect(commandsFor(["--paper", "--port", "0"])).toEqual(["run"]);
  });

  it("the named one for `help <command>`, every command for the top-level help and version", () => {
    expect(commandsFor(["help", "replay"])).toEqual(["replay"]);
    for (const args of [["help"], ["--help"], ["-h"], ["-V"], ["--version"], ["--paper", "--help"], ["help", "nothing"]]) {
      expect(commandsFor(args)).toEqual(COMMAND_NAMES);
    }
  });

  it("registers exactly those commands", async () => {
    expect((await buildProgram(["orders"])).commands.map((c) => c.name())).toEqual(["orders"]);
    expect((await buildProgram()).commands.map((c) => c.name())).toEqual(COMMAND_NAMES);
  });
});

describe("help", () => {
  it("lists every command, with its options and arguments", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    for (const name of COMMAND_NAMES) expect(r.out).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    expect(r.out).toMatch(/^ {2}backup \[options\] <file>/m);
  });

  it("of one command, as `help <command>` and `<command> --help`", async () => {
    const a = await cli(["help", "orders"]);
    const b = await cli(["orders", "--help"]);
    expect(a.code).toBe(0);
    expect(a.out).toContain("Usage: sekisho orders [options]");
    expect(b.out).toBe(a.out);
  });
});
