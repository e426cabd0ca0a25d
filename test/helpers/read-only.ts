// Make a file refuse writes for the tests of a read-only journal. File modes do not stop root,
// which these tests may run as; an immutable file (chattr +i) stops everyone. Returns false when
// neither is possible here (the test then says so and skips).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync } from "node:fs";
import process from "node:process";

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

export function makeReadOnly(path: string): boolean {
  if (!isRoot()) {
    chmodSync(path, 0o444);
    return true;
  }
  try {
    execFileSync("chattr", ["+i", path], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function undoReadOnly(path: string): void {
  if (!existsSync(path)) return;
  if (isRoot()) {
    try {
      execFileSync("chattr", ["-i", path], { stdio: "ignore" });
    } catch {
      // not immutable
    }
  } else chmodSync(path, 0o644);
}
