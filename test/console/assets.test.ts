// The dashboard is embedded as generated string constants; they must be what the client source
// bundles to today, or the binary would serve an old page.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../smoke/binary.ts";

describe("src/console/assets.generated.ts", () => {
  it("is the bundle of src/console/client as it is now (npm run build:console)", () => {
    const out = execFileSync(join(ROOT, "node_modules", ".bin", "bun"), ["build/console.ts", "--check"], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
    expect(out).toContain("is current");
  }, 60_000);
});
