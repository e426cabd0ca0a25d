// Secrets never reach a log line: every secret key at the top level of a logged object or one
// level down (a whole config or headers object) is censored, in the line the logger writes;
// everything else is written as it was, and the caller's objects are left alone.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/log.ts";
import { CENSOR, redactSecrets, SECRET_KEYS } from "../../src/core/redact.ts";

const secretKey = fc.constantFrom(...SECRET_KEYS);
const plainKey = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !SECRET_KEYS.has(k) && k !== "__proto__");
const secretValue = fc.string({ minLength: 4, maxLength: 12 }).map((s) => `SECRET-${s}`);
const plainValue = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 10 }).filter((s) => !s.includes("SECRET")));
// Secret values only under secret keys: everything else must arrive as it was.
const entries = <V>(value: fc.Arbitrary<V>, n: number) =>
  fc.array(fc.oneof(fc.tuple(plainKey, value), fc.tuple(secretKey, secretValue)), { maxLength: n }).map((es) => Object.fromEntries(es) as Record<string, unknown>);
const inner = entries(plainValue, 5);
const logged = entries(fc.oneof(plainValue, inner), 6);

function lineFor(obj: Record<string, unknown>, child?: Record<string, unknown>): string {
  const lines: string[] = [];
  const log = createLogger("info", { write: (l: string) => void lines.push(l) });
  (child ? log.child(child) : log).info(obj, "m");
  return lines.join("");
}

describe("redactSecrets", () => {
  it("no secret value reaches the written line; every other value does; the caller's object is unchanged", () => {
    fc.assert(fc.property(logged, (obj) => {
      const before = structuredClone(obj);
      const line = lineFor(obj);
      expect(line).not.toContain("SECRET-");
      const parsed = JSON.parse(line) as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) {
        if (k === "msg" || k === "level" || k === "time" || k === "app") continue;
        if (SECRET_KEYS.has(k)) expect(parsed[k]).toBe(CENSOR);
        else if (v !== null && typeof v === "object") {
          for (const [ik, iv] of Object.entries(v)) expect((parsed[k] as Record<string, unknown>)[ik]).toEqual(SECRET_KEYS.has(ik) ? CENSOR : iv);
        } else expect(parsed[k]).toEqual(v);
      }
      expect(obj).toEqual(before);
    }));
  });

  it("a child logger's bindings are redacted as a logged object is (top level and one level down)", () => {
    const line = lineFor({ a: 1 }, { part: "x", token: "SECRET-child", config: { OANDA_TOKEN: "SECRET-cfg", env: "practice" } });
    expect(line).not.toContain("SECRET-");
    expect(JSON.parse(line)).toMatchObject({ part: "x", token: CENSOR, config: { OANDA_TOKEN: CENSOR, env: "practice" } });
    fc.assert(fc.property(logged, logged, (a, b) => {
      const lines: string[] = [];
      const log = createLogger("info", { write: (l: string) => void lines.push(l) });
      const child = log.child(a).child(b);
      child.info("m");
      child.setBindings(b);
      child.info("m");
      expect(lines.join("")).not.toContain("SECRET-");
    }));
  });

  it("an object without secrets is passed through as it is (no copy)", () => {
    const o = { event: "order_submit", clientId: "sk-1", detail: { spread: 0.1 } };
    expect(redactSecrets(o)).toBe(o);
  });

  it("an Error one level down keeps its prototype when a secret on it is censored", () => {
    const err = Object.assign(new Error("boom"), { token: "SECRET-e" });
    const out = redactSecrets({ err }).err as Error & { token: string };
    expect(out).toBeInstanceOf(Error);
    expect(out.token).toBe(CENSOR);
    expect(err.token).toBe("SECRET-e");
  });
});
