// Client ids and the signal ids they come from (src/core/client-id.ts). A client id must fit OANDA's
// 128 characters, so a long signal id is folded into a hash that cannot be reversed: the way
// back says so (undefined) instead of guessing, and never names a signal that would not map to
// the same client id.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientIdForSignal, pairLegClientId, positionCloseBase, positionCloseClientId, signalClientIds, signalIdFromClientId, tradeCloseClientId } from "../../src/core/client-id.ts";

const SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-".split("");
const safeId = (min: number, max: number) => fc.array(fc.constantFrom(...SAFE), { minLength: min, maxLength: max }).map((a) => a.join(""));
const FOLDED = /^sk-[0-9a-f]{1,8}-[A-Za-z0-9_.:-]{100}$/;

describe("clientIdForSignal", () => {
  it("keeps a signal id that fits, and folds a longer one to `sk-<hash>-<last 100>` within 128 characters", () => {
    expect(clientIdForSignal("fast_scalp-USD_JPY-1")).toBe("sk-fast_scalp-USD_JPY-1");
    expect(clientIdForSignal("op-a b/c")).toBe("sk-op-a_b_c");
    const long = `op-${"x".repeat(200)}`;
    const id = clientIdForSignal(long);
    expect(id).toMatch(FOLDED);
    expect(id.endsWith("x".repeat(100))).toBe(true);
    expect(clientIdForSignal(long)).toBe(id); // stable: the same id after a restart
    expect(clientIdForSignal(`${long}y`)).not.toBe(id);
  });

  it("never exceeds OANDA's 128 characters", () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 300 }), (s) => clientIdForSignal(s).length <= 128));
  });
});

describe("signalIdFromClientId", () => {
  it("gives back a signal id of safe characters that fits", () => {
    fc.assert(fc.property(safeId(1, 125), (s) => {
      const back = signalIdFromClientId(clientIdForSignal(s));
      // A short id shaped like a folded one cannot be told from one: unknown, never wrong.
      return FOLDED.test(clientIdForSignal(s)) ? back === undefined : back === s;
    }));
  });

  it("says unknown for a signal id too long to fit: its client id is a hash", () => {
    fc.assert(fc.property(safeId(126, 250), (s) => signalIdFromClientId(clientIdForSignal(s)) === undefined));
    const long = `micro_multistrat-${"USD_JPY-".repeat(20)}1`;
    expect(signalIdFromClientId(clientIdForSignal(long))).toBeUndefined();
  });

  it("whatever the client id, an answer is a signal id that maps back to that same client id", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 140 }), safeId(0, 140).map((s) => `sk-${s}`)), (c) => {
      const back = signalIdFromClientId(c);
      return back === undefined || clientIdForSignal(back) === c;
    }));
  });

  it("says unknown for client ids that are not sekisho's", () => {
    expect(signalIdFromClientId("manual-7")).toBeUndefined();
    expect(signalIdFromClientId("sk-")).toBeUndefined();
    expect(signalIdFromClientId("sk-a b")).toBeUndefined();
  });
});

describe("the client ids of a signal's legs", () => {
  const base = safeId(1, 125).map((s) => clientIdForSignal(s));

  it("a position close's side is `<base>-L` / `<base>-S` when that fits, within 128 characters always, and gives its base back unless folded", () => {
    fc.assert(fc.property(base, fc.constantFrom("long" as const, "short" as const), (b, side) => {
      const id = positionCloseClientId(b, side);
      const plain = `${b}-${side === "long" ? "L" : "S"}`;
      expect(id.length).toBeLessThanOrEqual(128);
      if (plain.length <= 128) expect(id).toBe(plain);
      expect(positionCloseBase(id)).toBe(FOLDED.test(id) ? undefined : b);
    }));
    expect(positionCloseBase("sk-x")).toBeUndefined();
  });

  it("closes of different trades, and different legs, never share a client id, however long the base", () => {
    fc.assert(fc.property(base, fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: 1e12 }), (b, t1, t2) => {
      fc.pre(t1 !== t2);
      const [a, c] = [tradeCloseClientId(b, String(t1)), tradeCloseClientId(b, String(t2))];
      expect(a).not.toBe(c);
      expect(Math.max(a.length, c.length)).toBeLessThanOrEqual(128);
      if (`${b}-t${t1}`.length <= 128) expect(a).toBe(`${b}-t${t1}`);
    }));
    fc.assert(fc.property(base, fc.nat(20), fc.nat(20), (b, k1, k2) => {
      fc.pre(k1 !== k2);
      expect(pairLegClientId(b, k1)).not.toBe(pairLegClientId(b, k2));
      expect(pairLegClientId(b, k1).length).toBeLessThanOrEqual(128);
    }));
  });

  it("a signal's client ids are its own and its position close's two sides", () => {
    expect(signalClientIds("flat-1")).toEqual(["sk-flat-1", "sk-flat-1-L", "sk-flat-1-S"]);
  });
});
