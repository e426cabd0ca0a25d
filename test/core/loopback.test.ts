// The loopback rule decides whether the API may bind without a token and whether a broker URL is a
// local server; it is pure.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../../src/core/loopback.ts";

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
