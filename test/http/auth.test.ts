// The token comparison and the binding rule decide who may move money; both are pure.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bearerToken, tokensEqual } from "../../src/http/auth.ts";
import { bindingPolicy, MIN_REMOTE_TOKEN_LENGTH } from "../../src/http/binding.ts";

describe("tokensEqual", () => {
  it("accepts exactly the same token and nothing else", async () => {
    expect(await tokensEqual("s3cret-token", "s3cret-token")).toBe(true);
    expect(await tokensEqual("s3cret-tokeN", "s3cret-token")).toBe(false);
    expect(await tokensEqual("s3cret-token ", "s3cret-token")).toBe(false);
    expect(await tokensEqual("s3cret", "s3cret-token")).toBe(false);
    expect(await tokensEqual("", "s3cret-token")).toBe(false);
  });

  it("property: equal iff the strings are equal", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), async (a, b) => {
        expect(await tokensEqual(a, b)).toBe(a === b);
        expect(await tokensEqual(a, a)).toBe(true);
      }),
    );
  });
});

describe("bearerToken", () => {
  it("reads the Bearer scheme only", () => {
    expect(bearerToken("Bearer abc.def")).toBe("abc.def");
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken("Basic YWxhZGRpbjpvcGVuc2VzYW1l")).toBeUndefined();
    expect(bearerToken("Bearer")).toBeUndefined();
    expect(bearerToken("Bearer a b")).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe("bindingPolicy (start-up rule)", () => {
  it("loopback: starts, token needed for control only", () => {
    expect(bindingPolicy("127.0.0.1", undefined)).toEqual({ ok: true, requireTokenEverywhere: false });
  });
  it("off loopback without a token, or with a short one: refuses to start, naming CONTROL_TOKEN", () => {
    const none = bindingPolicy("0.0.0.0", undefined);
    expect(none).toMatchObject({ ok: false, variable: "CONTROL_TOKEN" });
    const short = bindingPolicy("0.0.0.0", "abc123");
    expect(short).toMatchObject({ ok: false, variable: "CONTROL_TOKEN" });
    if (!short.ok) expect(short.message).not.toContain("abc123");
  });
  it("off loopback with a long token: every endpoint needs it", () => {
    expect(bindingPolicy("192.168.1.10", "x".repeat(MIN_REMOTE_TOKEN_LENGTH))).toEqual({ ok: true, requireTokenEverywhere: true });
  });
});
