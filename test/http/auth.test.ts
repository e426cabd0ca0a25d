// The token comparison and the loopback rule decide who may move money; both are pure.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bearerToken, isLoopbackHost, tokensEqual } from "../../src/http/auth.ts";
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

describe("isLoopbackHost", () => {
  it.each(["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::0:1", "::ffff:127.0.0.1"])("%s is loopback", (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });

  it.each(["0.0.0.0", "::", "[::]", "192.168.1.10", "10.0.0.1", "128.0.0.1", "127.0.0.256", "localhost.evil.example", "::2", "1::1", "::ffff:10.0.0.1", "", "example.com"])("%s is not loopback", (h) => {
    expect(isLoopbackHost(h)).toBe(false);
  });

  it("property: an IPv4 address is loopback exactly when it is in 127.0.0.0/8", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(isLoopbackHost(ip)).toBe(ip.startsWith("127."));
      }),
    );
  });

  it("property: no IPv6 address other than ::1 is loopback", () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const isOne = /^(0{0,4}:){0,7}:?(0{0,4}:)*0{0,3}1$/.test(ip) && ip.replace(/[0:]/g, "") === "1";
        const mapped127 = /ffff:127\./i.test(ip) && /^[0:]*ffff:/i.test(ip);
        expect(isLoopbackHost(ip)).toBe(isOne || mapped127);
      }),
    );
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
